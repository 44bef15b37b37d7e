#pragma once
// FileScan: what a scan leaf of a plan reads: files of a data source, their
// schema and the columns the plan above it needs.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "rdd/detail/text_file_rdd.hpp"
#include "sql/types/struct_type.hpp"

namespace ember::sql {

/// The options of a reader, keys lower-cased (Spark's are case-insensitive).
using SourceOptions = std::map<std::string, std::string>;

/// Spark's default columnNameOfCorruptRecord.
inline constexpr const char* kDefaultCorruptColumn = "_corrupt_record";

/// Immutable once in a plan. The scan's output columns are `required`, in
/// that order: column pruning narrows them, the parser converts only those.
struct FileScan {
  std::string format;  ///< "csv", "json", "text"
  std::string path;    ///< as the program gave it
  std::vector<detail::FileSplit> splits;
  SourceOptions options;
  StructType dataSchema;         ///< every column of the files
  std::vector<size_t> required;  ///< positions in dataSchema, ascending

  /// The columns read: dataSchema's `required` fields.
  StructType requiredSchema() const;
  /// The name of the column that holds malformed records' text
  /// (columnNameOfCorruptRecord, `_corrupt_record` by default).
  std::string corruptColumn() const;
  /// The bytes of every file, for the join planner's size estimates.
  int64_t totalBytes() const;
  /// The logical plan's line: "Relation [id, amount] csv".
  std::string nodeString() const;
  /// The physical plan's line: "FileScan csv [id, amount] Location: ...,
  /// ReadSchema: struct<id:bigint,amount:double>".
  std::string physicalString() const;
};

}  // namespace ember::sql

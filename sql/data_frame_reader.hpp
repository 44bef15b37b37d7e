#pragma once
// DataFrameReader: spark.read(), DataFrames of CSV, JSON and text files.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "sql/data_frame.hpp"
#include "sql/types/struct_type.hpp"

namespace ember {

namespace sql {
struct SessionState;
}  // namespace sql

/// Spark's DataFrameReader: `spark.read().option("header", true).csv("in/")`.
/// Options are keys of Spark's names, case-insensitive, with string values
/// (the bool and number overloads write them as Spark does). The setters
/// return this reader, for chains.
///
/// A path is a file, a directory (its files, but those whose names start
/// with `_` or `.`) or a glob pattern. Loading checks the path at once
/// (AnalysisException "[PATH_NOT_FOUND] ..." when nothing is there) and
/// infers the schema when none is given (CSV with inferSchema and JSON run
/// a job over the files for it, as Spark does); the rows are read when an
/// action runs.
///
/// Thread safety: a reader is a value, used by one thread.
class DataFrameReader {
 public:
  explicit DataFrameReader(std::shared_ptr<const sql::SessionState> session)
      : session_(std::move(session)) {}

  /// "csv", "json" or "text" (load's format).
  DataFrameReader& format(const std::string& source);
  DataFrameReader& option(const std::string& key, const std::string& value);
  DataFrameReader& option(const std::string& key, const char* value) {
    return option(key, std::string(value));
  }
  DataFrameReader& option(const std::string& key, bool value);
  DataFrameReader& option(const std::string& key, int64_t value);
  DataFrameReader& option(const std::string& key, int value) {
    return option(key, static_cast<int64_t>(value));
  }
  DataFrameReader& option(const std::string& key, double value);
  DataFrameReader& options(const std::map<std::string, std::string>& options);
  /// The files' columns; without it the reader infers them.
  DataFrameReader& schema(const StructType& schema);
  /// schema("id BIGINT, name STRING"); throws ParseException for bad DDL.
  DataFrameReader& schema(const std::string& ddl);

  /// The files of `path` in the format set by format() (default: the
  /// `path` option when `path` is empty).
  DataFrame load(const std::string& path = "") const;
  DataFrame csv(const std::string& path) const { return read("csv", path); }
  DataFrame json(const std::string& path) const { return read("json", path); }
  /// One STRING column `value`, a row per line.
  DataFrame text(const std::string& path) const { return read("text", path); }

 private:
  DataFrame read(const std::string& format, const std::string& path) const;

  std::shared_ptr<const sql::SessionState> session_;
  std::string format_ = "csv";  // Spark's default source is parquet; ember has none yet
  std::map<std::string, std::string> options_;  ///< keys lower-cased
  std::optional<StructType> schema_;
};

}  // namespace ember

#pragma once
// CsvParser: one line of CSV into the scan's columns, as Spark's CSV
// reader parses it (one record a line: multiLine is not supported).

#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "sql/io/read_options.hpp"
#include "sql/io/record_builder.hpp"

namespace ember::sql {

/// One field of a line: its text, unquoted and unescaped.
struct CsvField {
  std::string_view text;
  bool quoted = false;
};

/// Splits lines into fields: `sep` between them; a field may be quoted
/// (`quote`), holding separators, doubled quotes ("") and escaped quotes
/// (\"). Not thread-safe: a parser per task.
class CsvTokenizer {
 public:
  explicit CsvTokenizer(const ReadOptions& options) : options_(options) {}
  /// The fields of `line`, valid until the next call; false when a quote
  /// is not closed (the record is malformed).
  bool split(std::string_view line, std::vector<CsvField>& fields);

 private:
  /// A quoted field from `pos` (at its opening quote); `pos` after it.
  bool quotedField(std::string_view line, size_t& pos, size_t index, CsvField& field);

  const ReadOptions& options_;
  /// Per field, reused line after line; a deque, so that views into
  /// earlier fields' strings survive a later field's growth.
  std::deque<std::string> unescaped_;
};

/// Why a record is malformed, for FAILFAST's message.
struct ParseFailure {
  bool malformed = false;
  std::string field;   ///< the column whose value failed, or empty
  std::string detail;  ///< what failed
};

/// Parses lines into a RecordBuilder of the scan's required columns:
/// only those fields are converted, the others only skipped.
class CsvParser {
 public:
  /// `dataSchema`: the file's columns (a `_corrupt_record` column among
  /// them holds no field); `required`: the positions of the builder's
  /// columns in dataSchema.
  CsvParser(const StructType& dataSchema, const std::vector<size_t>& required,
            const ReadOptions& options);

  /// Adds the row of `line` to `out` (its fields set, not yet kept).
  ParseFailure parse(std::string_view line, RecordBuilder& out);

 private:
  const ReadOptions& options_;
  CsvTokenizer tokenizer_;
  std::vector<CsvField> fields_;
  std::vector<int> slotOfField_;  ///< per field of the line: builder column or -1
  std::vector<std::string> names_;
  size_t dataFields_ = 0;  ///< fields a line must have
};

/// The column names of a header line (`_c0`.. without a header): empty
/// names become `_c<i>`, and repeated ones get their position appended,
/// as Spark does; none for an empty line (files without data).
std::vector<std::string> csvColumnNames(std::string_view firstLine, const ReadOptions& options);

/// Spark's CSV schema inference, a line at a time: each column's type
/// widens with each value (a STRING column stays STRING unread).
class CsvSchemaInference {
 public:
  CsvSchemaInference(const ReadOptions& options, size_t width)
      : options_(options), tokenizer_(options), types_(width, DataType::null()) {}
  /// A data line (not a header, not blank).
  void add(std::string_view line);
  /// NULL for a column without a value so far.
  const std::vector<DataType>& types() const { return types_; }

 private:
  const ReadOptions& options_;
  CsvTokenizer tokenizer_;
  std::vector<CsvField> fields_;
  std::vector<DataType> types_;
};

}  // namespace ember::sql

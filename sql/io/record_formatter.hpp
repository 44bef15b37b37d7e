#pragma once
// RecordFormatter: a row of a batch as one line of CSV, JSON or text, as
// Spark's writers print it.

#include <string>
#include <vector>

#include "sql/io/datetime_pattern.hpp"
#include "sql/io/read_options.hpp"
#include "sql/types/batch.hpp"

namespace ember::sql {

/// CSV: fields quoted when they hold the separator, a quote, the escape
/// character, a line break or leading or trailing blanks (quotes and
/// escapes inside escaped), "" for an empty string, nullValue for null.
/// JSON: one object a line, null fields omitted (ignoreNullFields, as
/// Spark's default), arrays as JSON arrays. CSV and text take no arrays
/// (the writer refuses them before any job). Text: the one STRING column (null: an empty line).
/// Dates and timestamps use dateFormat and timestampFormat, by default
/// Spark's yyyy-MM-dd and yyyy-MM-dd'T'HH:mm:ss.SSSXXX.
///
/// Not thread-safe: a formatter per task.
class RecordFormatter {
 public:
  RecordFormatter(std::string format, const StructType& schema, const SourceOptions& options);

  /// The header line (CSV with header=true), or empty.
  bool hasHeader() const { return format_ == "csv" && options_.header; }
  std::string header() const;
  /// Row `row` of `b` as a line, without its newline.
  void format(const Batch& b, size_t row, std::string& line) const;

 private:
  void csvField(std::string_view text, std::string& line) const;
  void jsonString(std::string_view text, std::string& line) const;
  /// The value's text (not a string's, not null).
  void valueText(const ColumnVector& c, size_t row, std::string& out) const;
  void csvRow(const Batch& b, size_t row, std::string& line) const;
  void jsonRow(const Batch& b, size_t row, std::string& line) const;
  void jsonValue(const ColumnVector& c, size_t row, std::string& line) const;

  std::string format_;
  std::vector<std::string> names_;
  ReadOptions options_;
  bool ignoreNullFields_ = true;
  DateTimePattern date_;
  DateTimePattern timestamp_;
  mutable std::string scratch_;
};

}  // namespace ember::sql

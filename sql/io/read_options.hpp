#pragma once
// ReadOptions: the options of the CSV, JSON and text readers, parsed and
// checked once when the DataFrame is defined.

#include <cstdint>
#include <optional>
#include <string>

#include "sql/io/datetime_pattern.hpp"
#include "sql/plan/file_scan.hpp"

namespace ember::sql {

/// What a reader does with a record it cannot parse (Spark's `mode`).
enum class ParseMode : uint8_t {
  kPermissive,     ///< fields that fail are null; the line goes to the corrupt-record column
  kDropMalformed,  ///< the record is dropped
  kFailFast,       ///< the job fails, naming the file and line
};

struct ReadOptions {
  ParseMode mode = ParseMode::kPermissive;
  std::string corruptColumn = kDefaultCorruptColumn;  ///< columnNameOfCorruptRecord
  char sep = ',';
  char quote = '"';
  char escape = '\\';
  std::string nullValue;   ///< an unquoted field equal to it is null
  std::string emptyValue;  ///< what a quoted empty field ("") reads as
  bool header = false;
  bool inferSchema = false;
  bool prefersDate = true;                         ///< inference makes yyyy-MM-dd columns DATE
  std::optional<DateTimePattern> dateFormat;       ///< unset: Spark's lenient default
  std::optional<DateTimePattern> timestampFormat;  ///< unset: Spark's lenient default

  /// Throws AnalysisException naming an option whose value is not valid.
  static ReadOptions parse(const SourceOptions& options);
};

/// The value of `key` (lower-case), or `fallback`.
std::string optionOr(const SourceOptions& options, const std::string& key,
                     const std::string& fallback);
/// "true" or "false" (any case); throws AnalysisException otherwise.
bool booleanOption(const SourceOptions& options, const std::string& key, bool fallback);

/// `s` in ASCII lower case: option keys and format names are case-insensitive.
std::string lowerCase(std::string s);
/// An option's value as Spark writes a bool or a number: "true", "5", "1.5".
std::string optionText(bool value);
std::string optionText(int64_t value);
std::string optionText(double value);
/// "file:/absolute/path", as Spark's messages name a path.
std::string qualifiedPath(const std::string& path);

}  // namespace ember::sql

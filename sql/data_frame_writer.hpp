#pragma once
// DataFrameWriter: df.write(), a DataFrame saved as CSV, JSON or text files.

#include <cstdint>
#include <map>
#include <string>

#include "sql/data_frame.hpp"

namespace ember {

/// Spark's DataFrameWriter: `df.write().mode("overwrite").option("header",
/// true).csv("out/")`. The output is a directory of part files
/// (`part-00000-<uuid>.csv`, one per non-empty partition) and `_SUCCESS`,
/// written through a hidden temporary directory and committed when every
/// task succeeded: a failed job leaves no output that looks complete, and
/// a failed overwrite leaves the old data readable.
///
/// Modes: "error" / "errorifexists" (the default: an existing path throws
/// AnalysisException "[PATH_ALREADY_EXISTS] ..." before any job),
/// "overwrite", "append", "ignore" (an existing path: nothing is written).
/// Options: Spark's names, case-insensitive (header, sep, quote, escape,
/// nullValue, dateFormat, timestampFormat, ignoreNullFields). The setters
/// return this writer, for chains.
///
/// Thread safety: a writer is a value, used by one thread.
class DataFrameWriter {
 public:
  explicit DataFrameWriter(DataFrame df) : df_(std::move(df)) {}

  DataFrameWriter& mode(const std::string& saveMode);
  /// "csv", "json" or "text" (save's format).
  DataFrameWriter& format(const std::string& source);
  DataFrameWriter& option(const std::string& key, const std::string& value);
  DataFrameWriter& option(const std::string& key, const char* value) {
    return option(key, std::string(value));
  }
  DataFrameWriter& option(const std::string& key, bool value);
  DataFrameWriter& option(const std::string& key, int64_t value);
  DataFrameWriter& option(const std::string& key, int value) {
    return option(key, static_cast<int64_t>(value));
  }
  DataFrameWriter& option(const std::string& key, double value);
  DataFrameWriter& options(const std::map<std::string, std::string>& options);

  /// Runs the job that writes the rows to `path` (default: the `path`
  /// option) in the format set by format().
  void save(const std::string& path = "") const;
  void csv(const std::string& path) const { write("csv", path); }
  void json(const std::string& path) const { write("json", path); }
  /// REQUIRES: one STRING column (AnalysisException otherwise).
  void text(const std::string& path) const { write("text", path); }

 private:
  void write(const std::string& format, const std::string& path) const;

  DataFrame df_;
  std::string mode_ = "errorifexists";
  std::string format_ = "csv";                  // Spark's default is parquet; ember has none yet
  std::map<std::string, std::string> options_;  ///< keys lower-cased
};

}  // namespace ember

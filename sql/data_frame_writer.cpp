#include "sql/data_frame_writer.hpp"

#include <filesystem>

#include "rdd/rdd.hpp"
#include "sql/errors.hpp"
#include "sql/io/output_committer.hpp"
#include "sql/io/read_options.hpp"
#include "sql/io/record_formatter.hpp"
#include "sql/io/write_job.hpp"

namespace ember {
namespace {

void checkTextSchema(const StructType& schema) {
  if (schema.size() != 1)
    throw AnalysisException("Text data source supports only a single column, and you have " +
                            std::to_string(schema.size()) + " columns.");
  if (schema[0].dataType != DataType::string())
    throw AnalysisException("Text data source does not support " + schema[0].dataType.sqlName() +
                            " data type (column `" + schema[0].name +
                            "`): cast it to STRING first.");
}

/// Spark's CSV source holds atomic types only.
void checkCsvSchema(const StructType& schema) {
  for (const StructField& f : schema.fields()) {
    if (f.dataType.isArray())
      throw AnalysisException("CSV data source does not support " + f.dataType.simpleString() +
                              " data type (column `" + f.name +
                              "`); write JSON, or cast it to STRING first.");
  }
}

}  // namespace

DataFrameWriter& DataFrameWriter::mode(const std::string& saveMode) {
  sql::parseSaveMode(saveMode);  // an unknown mode fails here, as in Spark
  mode_ = saveMode;
  return *this;
}

DataFrameWriter& DataFrameWriter::format(const std::string& source) {
  format_ = sql::lowerCase(source);
  return *this;
}

DataFrameWriter& DataFrameWriter::option(const std::string& key, const std::string& value) {
  options_[sql::lowerCase(key)] = value;
  return *this;
}

DataFrameWriter& DataFrameWriter::option(const std::string& key, bool value) {
  return option(key, sql::optionText(value));
}

DataFrameWriter& DataFrameWriter::option(const std::string& key, int64_t value) {
  return option(key, sql::optionText(value));
}

DataFrameWriter& DataFrameWriter::option(const std::string& key, double value) {
  return option(key, sql::optionText(value));
}

DataFrameWriter& DataFrameWriter::options(const std::map<std::string, std::string>& options) {
  for (const auto& [k, v] : options) option(k, v);
  return *this;
}

void DataFrameWriter::save(const std::string& path) const {
  const std::string p = path.empty() ? sql::optionOr(options_, "path", "") : path;
  if (p.empty()) throw AnalysisException("save(): no path given (pass one, or set option path)");
  write(format_, p);
}

void DataFrameWriter::write(const std::string& format, const std::string& path) const {
  if (format != "csv" && format != "json" && format != "text")
    throw AnalysisException("[DATA_SOURCE_NOT_FOUND] Failed to find the data source: " + format +
                            " (ember writes csv, json and text)");
  if (format == "text") checkTextSchema(df_.schema());
  if (format == "csv") checkCsvSchema(df_.schema());
  const std::string compression = sql::lowerCase(sql::optionOr(options_, "compression", "none"));
  if (compression != "none" && compression != "uncompressed")
    throw AnalysisException("[INVALID_OPTION] compression '" + compression +
                            "' is not supported by ember's writers (none only)");
  // Options are checked before any job.
  sql::RecordFormatter(format, df_.schema(), options_);
  const sql::SaveMode mode = sql::parseSaveMode(mode_);
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    if (mode == sql::SaveMode::kIgnore) return;
    if (mode == sql::SaveMode::kErrorIfExists)
      throw AnalysisException("[PATH_ALREADY_EXISTS] Path " + sql::qualifiedPath(path) +
                              " already exists. Set mode as \"overwrite\" to overwrite the "
                              "existing path.");
  }
  sql::runWriteJob(df_.toBatches(), df_.schema(), format, options_, path, mode);
}

}  // namespace ember

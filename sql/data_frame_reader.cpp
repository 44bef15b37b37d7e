#include "sql/data_frame_reader.hpp"

#include <algorithm>

#include "sql/detail/session_state.hpp"
#include "sql/errors.hpp"
#include "sql/io/file_source.hpp"
#include "sql/io/read_options.hpp"
#include "sql/plan/file_scan.hpp"

namespace ember {
namespace {

/// A user's schema for `format`: the corrupt-record column, when there is
/// one, must be a STRING, as Spark requires; text takes one STRING column.
void checkSchema(const std::string& format, const StructType& schema, const sql::ReadOptions& o) {
  if (format == "text") {
    if (schema.size() != 1 || schema[0].dataType != DataType::string())
      throw AnalysisException("[INVALID_SCHEMA] the text source has one STRING column, not " +
                              schema.simpleString());
    return;
  }
  for (const StructField& f : schema.fields()) {
    if (f.dataType.isArray())
      throw AnalysisException("[UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE] ember's " + format +
                              " reader does not read " + f.dataType.simpleString() +
                              " columns yet (column `" + f.name + "`)");
  }
  if (auto i = schema.find(o.corruptColumn); i && schema[*i].dataType != DataType::string())
    throw AnalysisException("[INVALID_CORRUPT_RECORD_TYPE] the column `" + o.corruptColumn +
                            "` for corrupt records must be a nullable STRING, not " +
                            schema[*i].dataType.sqlName());
}

}  // namespace

DataFrameReader& DataFrameReader::format(const std::string& source) {
  format_ = sql::lowerCase(source);
  return *this;
}

DataFrameReader& DataFrameReader::option(const std::string& key, const std::string& value) {
  options_[sql::lowerCase(key)] = value;
  return *this;
}

DataFrameReader& DataFrameReader::option(const std::string& key, bool value) {
  return option(key, sql::optionText(value));
}

DataFrameReader& DataFrameReader::option(const std::string& key, int64_t value) {
  return option(key, sql::optionText(value));
}

DataFrameReader& DataFrameReader::option(const std::string& key, double value) {
  return option(key, sql::optionText(value));
}

DataFrameReader& DataFrameReader::options(const std::map<std::string, std::string>& options) {
  for (const auto& [k, v] : options) option(k, v);
  return *this;
}

DataFrameReader& DataFrameReader::schema(const StructType& schema) {
  schema_ = schema;
  return *this;
}

DataFrameReader& DataFrameReader::schema(const std::string& ddl) {
  return schema(StructType::fromDDL(ddl));
}

DataFrame DataFrameReader::load(const std::string& path) const {
  const std::string p = path.empty() ? sql::optionOr(options_, "path", "") : path;
  if (p.empty()) throw AnalysisException("load(): no path given (pass one, or set option path)");
  return read(format_, p);
}

DataFrame DataFrameReader::read(const std::string& format, const std::string& path) const {
  if (format != "csv" && format != "json" && format != "text")
    throw AnalysisException("[DATA_SOURCE_NOT_FOUND] Failed to find the data source: " + format +
                            " (ember reads csv, json and text)");
  // Options are checked now, before any job, as Spark checks them.
  const sql::ReadOptions parsed = sql::ReadOptions::parse(options_);
  Context& ctx = *session_->ctx;
  auto scan = std::make_shared<sql::FileScan>();
  scan->format = format;
  scan->path = path;
  scan->options = options_;
  scan->splits = sql::planFileSplits(path, ctx);
  if (schema_) checkSchema(format, *schema_, parsed);
  scan->dataSchema = schema_ ? *schema_ : sql::inferFileSchema(*scan, ctx);
  for (size_t i = 0; i < scan->dataSchema.size(); ++i) scan->required.push_back(i);

  auto plan = std::make_shared<sql::LogicalPlan>();
  plan->kind = sql::PlanKind::kScan;
  plan->schema = scan->dataSchema;
  plan->numPartitions = std::max<int>(1, static_cast<int>(scan->splits.size()));
  plan->scan = std::move(scan);
  return DataFrame(session_, plan, plan);
}

}  // namespace ember

#include "sql/io/file_source.hpp"

#include <filesystem>
#include <fstream>
#include <map>

#include "common/error.hpp"
#include "sql/errors.hpp"
#include "sql/execution/batch_source_rdd.hpp"
#include "sql/io/csv_parser.hpp"
#include "sql/io/field_parsing.hpp"
#include "sql/io/json_parser.hpp"
#include "sql/io/read_options.hpp"
#include "sql/io/record_builder.hpp"

namespace ember::sql {
namespace {

namespace fs = std::filesystem;

bool isBlankLine(std::string_view line) {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

/// The text format: each line is the `value` column, empty lines too.
class TextParser {
 public:
  explicit TextParser(bool readsValue) : readsValue_(readsValue) {}
  ParseFailure parse(std::string_view line, RecordBuilder& out) {
    if (readsValue_) out.set(0, line);
    return {};
  }

 private:
  bool readsValue_;
};

/// The 1-based line number in its file of line `index` of `split`:
/// counted only for an error's message, never on the way of good data.
int64_t lineNumber(const detail::FileSplit& split, int64_t index) {
  int64_t before = 0;
  if (split.start > 0) {
    // The split's first line is the first that starts at or after `start`.
    std::ifstream in(split.path, std::ios::binary);
    std::vector<char> buf(1 << 16);
    int64_t left = split.start - 1;
    before = 1;
    while (left > 0 && in) {
      in.read(buf.data(), static_cast<std::streamsize>(std::min<int64_t>(left, 1 << 16)));
      const std::streamsize got = in.gcount();
      for (std::streamsize i = 0; i < got; ++i) before += buf[static_cast<size_t>(i)] == '\n';
      left -= got;
      if (got == 0) break;
    }
  }
  return before + index + 1;
}

[[noreturn]] void failFast(const detail::FileSplit& split, int64_t index,
                           const ParseFailure& failure) {
  std::string where = "file " + split.path + ", line " + std::to_string(lineNumber(split, index));
  if (!failure.field.empty()) where += ", field '" + failure.field + "'";
  throw Error("[MALFORMED_RECORD_IN_PARSING] Malformed records are detected in record parsing: " +
              where + ": " + failure.detail +
              ". Parse Mode: FAILFAST. To process malformed records as null result, try setting "
              "the option 'mode' as 'PERMISSIVE' (or 'DROPMALFORMED' to skip them).");
}

/// Calls f(line, index) for every line `split` owns, `index` counting
/// from the split's first line.
template <class F>
void forEachLine(const detail::FileSplit& split, F&& f) {
  int64_t index = 0;
  int64_t bytes = 0;
  auto sink = detail::makeSink<std::string>([&](std::vector<std::string>& lines) {
    for (const std::string& line : lines) f(std::string_view(line), index++);
  });
  detail::readTextSplit(split, kBatchRows, sink, bytes);
}

/// Calls f(line, index) for the split's data lines: not blank, not a header.
template <class F>
void forEachDataLine(const detail::FileSplit& split, bool dropHeader, F&& f) {
  bool headerPending = dropHeader && split.start == 0;
  forEachLine(split, [&](std::string_view line, int64_t index) {
    if (isBlankLine(line)) return;
    if (headerPending) {
      headerPending = false;
      return;
    }
    f(line, index);
  });
}

/// Reads one split with `parser`, applying the parse mode to each record.
/// `lineRecords` (text): every line is a record, blank or not.
template <class Parser>
void readSplit(const detail::FileSplit& split, Parser& parser, RecordBuilder& builder,
               const ReadOptions& o, bool lineRecords, std::vector<Batch>& scratch,
               detail::Sink<Batch>& out) {
  auto flush = [&] {
    scratch.assign(1, builder.finish());
    out.push(scratch);
  };
  auto record = [&](std::string_view line, int64_t index) {
    const ParseFailure failure = parser.parse(line, builder);
    if (!failure.malformed || o.mode == ParseMode::kPermissive) {
      builder.keep(failure.malformed, line);
    } else if (o.mode == ParseMode::kDropMalformed) {
      builder.drop();
    } else {
      failFast(split, index, failure);
    }
    if (builder.full()) flush();
  };
  if (lineRecords) {
    forEachLine(split, record);
  } else {
    forEachDataLine(split, o.header, record);  // CSV and JSON skip blank lines, as Spark
  }
  if (builder.rows() > 0) flush();
}

int corruptSlot(const FileScan& scan, const ReadOptions& o) {
  for (size_t slot = 0; slot < scan.required.size(); ++slot)
    if (scan.dataSchema[scan.required[slot]].name == o.corruptColumn) return static_cast<int>(slot);
  return -1;
}

void readPartition(const FileScan& scan, const ReadOptions& o, const detail::FileSplit& split,
                   std::vector<Batch>& scratch, detail::Sink<Batch>& out) {
  const StructType columns = scan.requiredSchema();
  const bool text = scan.format == "text";
  RecordBuilder builder(columns, o, text ? -1 : corruptSlot(scan, o));
  if (scan.format == "csv") {
    CsvParser parser(scan.dataSchema, scan.required, o);
    readSplit(split, parser, builder, o, false, scratch, out);
  } else if (scan.format == "json") {
    JsonParser parser(scan.dataSchema, scan.required, o);
    readSplit(split, parser, builder, o, false, scratch, out);
  } else {
    TextParser parser(!scan.required.empty());
    readSplit(split, parser, builder, o, true, scratch, out);
  }
}

// ---- Schema inference ----

/// The first non-blank line of the files, for CSV's column names.
std::string firstLine(const FileScan& scan) {
  for (const detail::FileSplit& split : scan.splits) {
    if (split.start != 0) continue;
    std::ifstream in(split.path, std::ios::binary);
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (!isBlankLine(line)) return line;
    }
  }
  return "";
}

/// Runs `summarize(split)` on every split in a job and returns the
/// summaries (the same on every process).
template <class F>
std::vector<std::string> summarizeSplits(const FileScan& scan, Context& ctx, F summarize) {
  std::vector<int> indices(scan.splits.size());
  for (size_t i = 0; i < indices.size(); ++i) indices[i] = static_cast<int>(i);
  const int parts = std::max<int>(1, static_cast<int>(indices.size()));
  return ctx.parallelize(indices, parts)
      .map([splits = scan.splits, summarize](int i) {
        return summarize(splits[static_cast<size_t>(i)]);
      })
      .collect();
}

std::vector<std::string> splitOn(const std::string& s, char sep) {
  std::vector<std::string> parts;
  size_t from = 0;
  for (size_t at; (at = s.find(sep, from)) != std::string::npos; from = at + 1)
    parts.push_back(s.substr(from, at - from));
  parts.push_back(s.substr(from));
  return parts;
}

std::string typeCode(DataType t) { return t.id() == TypeId::kNull ? "-" : t.simpleString(); }
DataType typeOfCode(const std::string& code) {
  return code == "-" ? DataType::null() : DataType::fromString(code);
}

StructType inferCsv(const FileScan& scan, const ReadOptions& o, Context& ctx) {
  const std::vector<std::string> names = csvColumnNames(firstLine(scan), o);
  std::vector<DataType> types(names.size(), DataType::null());
  if (o.inferSchema && !names.empty()) {
    const size_t width = names.size();
    const SourceOptions options = scan.options;
    auto summaries = summarizeSplits(scan, ctx, [options, width](const detail::FileSplit& s) {
      const ReadOptions ro = ReadOptions::parse(options);
      CsvSchemaInference inference(ro, width);
      forEachDataLine(s, ro.header, [&](std::string_view line, int64_t) { inference.add(line); });
      std::string code;
      for (DataType t : inference.types()) code += (code.empty() ? "" : ";") + typeCode(t);
      return code;
    });
    for (const std::string& summary : summaries) {
      const std::vector<std::string> codes = splitOn(summary, ';');
      for (size_t i = 0; i < width && i < codes.size(); ++i)
        types[i] = widerInferredType(types[i], typeOfCode(codes[i]));
    }
  }
  std::vector<StructField> fields;
  for (size_t i = 0; i < names.size(); ++i) {
    const bool unknown = types[i].id() == TypeId::kNull;
    fields.push_back({names[i], unknown ? DataType::string() : types[i], true});
  }
  return StructType(std::move(fields));
}

StructType inferJson(const FileScan& scan, const ReadOptions& o, Context& ctx) {
  const bool failOnCorrupt = o.mode == ParseMode::kFailFast;
  auto summaries = summarizeSplits(scan, ctx, [failOnCorrupt](const detail::FileSplit& s) {
    JsonSchemaInference inference;
    forEachDataLine(s, false, [&](std::string_view line, int64_t index) {
      if (!inference.add(line) && failOnCorrupt)
        failFast(s, index, {true, "", "the line is not a JSON object (inferring the schema)"});
    });
    // name '\0' type, one per member; a leading "!" marks corrupt records.
    std::string code = inference.corrupt() ? "!" : "";
    for (const auto& [name, type] : inference.types()) code += name + '\0' + typeCode(type) + '\0';
    return code;
  });
  std::map<std::string, DataType> types;
  bool corrupt = false;
  for (const std::string& summary : summaries) {
    std::string_view s = summary;
    if (!s.empty() && s[0] == '!') {
      corrupt = true;
      s.remove_prefix(1);
    }
    const std::vector<std::string> parts = splitOn(std::string(s), '\0');
    for (size_t i = 0; i + 1 < parts.size(); i += 2) {
      auto [it, fresh] = types.emplace(parts[i], typeOfCode(parts[i + 1]));
      if (!fresh) it->second = widerInferredType(it->second, typeOfCode(parts[i + 1]));
    }
  }
  // Spark adds the corrupt-record column when PERMISSIVE inference met one.
  if (corrupt && o.mode == ParseMode::kPermissive && !types.contains(o.corruptColumn))
    types.emplace(o.corruptColumn, DataType::string());
  std::vector<StructField> fields;
  for (const auto& [name, type] : types)
    fields.push_back({name, type.id() == TypeId::kNull ? DataType::string() : type, true});
  return StructType(std::move(fields));
}

}  // namespace

std::vector<detail::FileSplit> planFileSplits(const std::string& path, Context& ctx) {
  auto missing = [&] {
    return AnalysisException("[PATH_NOT_FOUND] Path does not exist: " + qualifiedPath(path) + ".");
  };
  const bool glob = path.find_first_of("*?[") != std::string::npos;
  std::error_code ec;
  if (!glob && !fs::exists(path, ec)) throw missing();
  try {
    return detail::planTextSplits(path, ctx.defaultParallelism(), ctx.runtime()->maxPartitionBytes);
  } catch (const IoError&) {
    if (glob) throw missing();
    throw;
  }
}

StructType inferFileSchema(const FileScan& scan, Context& ctx) {
  if (scan.format == "text") return StructType{{"value", DataType::string(), true}};
  if (scan.splits.empty())
    throw AnalysisException("[UNABLE_TO_INFER_SCHEMA] Unable to infer schema for " +
                            std::string(scan.format == "csv" ? "CSV" : "JSON") + " at " +
                            scan.path + ": it has no data files. It must be specified manually.");
  const ReadOptions o = ReadOptions::parse(scan.options);
  return scan.format == "csv" ? inferCsv(scan, o, ctx) : inferJson(scan, o, ctx);
}

Rdd<Batch> scanRdd(const LogicalPlan& plan, Context& ctx) {
  std::shared_ptr<const FileScan> scan = plan.scan;
  auto options = std::make_shared<const ReadOptions>(ReadOptions::parse(scan->options));
  // An empty directory still gives one (empty) partition.
  const int parts = std::max<int>(1, static_cast<int>(scan->splits.size()));
  BatchGenerator generate = [scan, options](int p, std::vector<Batch>& scratch,
                                            detail::Sink<Batch>& out) {
    if (static_cast<size_t>(p) >= scan->splits.size()) return;
    readPartition(*scan, *options, scan->splits[static_cast<size_t>(p)], scratch, out);
  };
  return Rdd<Batch>(std::make_shared<BatchSourceRdd>(ctx.runtime(), "FileScan " + scan->format,
                                                     scan->path, parts, std::move(generate)));
}

}  // namespace ember::sql

#include "sql/io/csv_parser.hpp"

#include <map>

#include "sql/io/field_parsing.hpp"

namespace ember::sql {

bool CsvTokenizer::quotedField(std::string_view line, size_t& pos, size_t index, CsvField& field) {
  const char quote = options_.quote, escape = options_.escape, sep = options_.sep;
  const size_t n = line.size();
  std::string* buf = nullptr;  // only a field with escapes is copied
  size_t run = pos + 1;
  auto unescape = [&](size_t i, char c) {
    if (!buf) {
      if (unescaped_.size() <= index) unescaped_.resize(index + 1);
      buf = &unescaped_[index];
      buf->clear();
    }
    buf->append(line.substr(run, i - run));
    buf->push_back(c);
    run = i + 2;
  };
  for (size_t i = pos + 1; i < n; ++i) {
    const char c = line[i];
    const bool pair = i + 1 < n && (line[i + 1] == quote || line[i + 1] == escape);
    if (c == escape && escape != quote && pair) {
      unescape(i, line[i + 1]);
      ++i;
    } else if (c == quote && i + 1 < n && line[i + 1] == quote) {
      unescape(i, quote);  // "" inside quotes is one quote
      ++i;
    } else if (c == quote) {
      if (buf) buf->append(line.substr(run, i - run));
      field.text = buf ? std::string_view(*buf) : line.substr(pos + 1, i - pos - 1);
      field.quoted = true;
      pos = i + 1;
      return pos == n || line[pos] == sep;
    }
  }
  return false;
}

bool CsvTokenizer::split(std::string_view line, std::vector<CsvField>& fields) {
  fields.clear();
  size_t pos = 0;
  for (;;) {
    CsvField f;
    if (options_.quote != '\0' && pos < line.size() && line[pos] == options_.quote) {
      if (!quotedField(line, pos, fields.size(), f)) return false;
    } else {
      size_t end = line.find(options_.sep, pos);
      if (end == std::string_view::npos) end = line.size();
      f.text = line.substr(pos, end - pos);
      pos = end;
    }
    fields.push_back(f);
    if (pos >= line.size()) return true;
    ++pos;  // the separator; one at the very end leaves an empty last field
  }
}

CsvParser::CsvParser(const StructType& dataSchema, const std::vector<size_t>& required,
                     const ReadOptions& options)
    : options_(options), tokenizer_(options) {
  std::vector<int> fieldOfColumn(dataSchema.size(), -1);
  for (size_t c = 0; c < dataSchema.size(); ++c) {
    if (dataSchema[c].name == options.corruptColumn) continue;
    fieldOfColumn[c] = static_cast<int>(dataFields_++);
  }
  slotOfField_.assign(dataFields_, -1);
  names_.resize(dataFields_);
  for (size_t slot = 0; slot < required.size(); ++slot) {
    const int field = fieldOfColumn[required[slot]];
    if (field < 0) continue;
    slotOfField_[static_cast<size_t>(field)] = static_cast<int>(slot);
    names_[static_cast<size_t>(field)] = dataSchema[required[slot]].name;
  }
}

ParseFailure CsvParser::parse(std::string_view line, RecordBuilder& out) {
  ParseFailure failure;
  if (!tokenizer_.split(line, fields_)) {
    failure.malformed = true;
    failure.detail = "a quoted field is not closed (multiLine is not supported)";
    return failure;
  }
  if (fields_.size() != dataFields_) {
    failure.malformed = true;
    failure.detail = "the line has " + std::to_string(fields_.size()) + " fields, the schema " +
                     std::to_string(dataFields_);
  }
  const size_t n = std::min(fields_.size(), dataFields_);
  for (size_t i = 0; i < n; ++i) {
    const int slot = slotOfField_[i];
    if (slot < 0) continue;  // a column the plan does not read: never converted
    const auto k = static_cast<size_t>(slot);
    const CsvField& f = fields_[i];
    if (!f.quoted && f.text == options_.nullValue) {
      out.setNull(k);
      continue;
    }
    const bool isString = out.type(k).id() == TypeId::kString;
    const std::string_view text =
        f.quoted && f.text.empty() ? std::string_view(options_.emptyValue) : f.text;
    if (!isString && text.empty()) {
      out.setNull(k);
      continue;
    }
    if (!out.set(k, text) && !failure.malformed) {
      failure.malformed = true;
      failure.field = names_[i];
      failure.detail =
          "'" + std::string(text) + "' is not a value of type " + out.type(k).sqlName();
    }
  }
  return failure;
}

std::vector<std::string> csvColumnNames(std::string_view firstLine, const ReadOptions& options) {
  if (firstLine.empty()) return {};  // no data at all: Spark's empty schema
  CsvTokenizer tokenizer(options);
  std::vector<CsvField> fields;
  tokenizer.split(firstLine, fields);
  std::vector<std::string> names;
  for (size_t i = 0; i < fields.size(); ++i) {
    const std::string_view t = fields[i].text;
    const bool unnamed =
        !options.header || t.empty() || (!fields[i].quoted && t == options.nullValue);
    names.push_back(unnamed ? "_c" + std::to_string(i) : std::string(t));
  }
  std::map<std::string, int> seen;
  // Spark compares names case-insensitively by default.
  for (const std::string& n : names) ++seen[lowerCase(n)];
  for (size_t i = 0; i < names.size(); ++i)
    if (seen[lowerCase(names[i])] > 1) names[i] += std::to_string(i);
  return names;
}

void CsvSchemaInference::add(std::string_view line) {
  tokenizer_.split(line, fields_);
  const size_t n = std::min(fields_.size(), types_.size());
  for (size_t i = 0; i < n; ++i) {
    const CsvField& f = fields_[i];
    if (types_[i] == DataType::string() || f.text.empty() || f.text == options_.nullValue) continue;
    types_[i] = widerInferredType(types_[i], inferFieldType(f.text, options_));
  }
}

}  // namespace ember::sql

#include "sql/io/record_formatter.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "sql/types/value.hpp"

namespace ember::sql {
namespace {

constexpr const char* kDefaultDateFormat = "yyyy-MM-dd";
constexpr const char* kDefaultTimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";

template <class T>
void appendInteger(std::string& out, T v) {
  char buf[24];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  out.append(buf, end);
}

bool isBlank(char c) { return c == ' ' || c == '\t'; }

}  // namespace

RecordFormatter::RecordFormatter(std::string format, const StructType& schema,
                                 const SourceOptions& options)
    : format_(std::move(format)),
      names_(schema.fieldNames()),
      options_(ReadOptions::parse(options)),
      ignoreNullFields_(booleanOption(options, "ignorenullfields", true)),
      date_(optionOr(options, "dateformat", kDefaultDateFormat)),
      timestamp_(optionOr(options, "timestampformat", kDefaultTimestampFormat)) {}

std::string RecordFormatter::header() const {
  std::string line;
  for (size_t i = 0; i < names_.size(); ++i) {
    if (i) line.push_back(options_.sep);
    csvField(names_[i], line);
  }
  return line;
}

void RecordFormatter::csvField(std::string_view text, std::string& line) const {
  const char q = options_.quote, esc = options_.escape, sep = options_.sep;
  bool quote = text.empty() || isBlank(text.front()) || isBlank(text.back()) ||
               (!options_.nullValue.empty() && text == options_.nullValue);
  for (char c : text) {
    if (c == sep || c == q || c == esc || c == '\n' || c == '\r') {
      quote = true;
      break;
    }
  }
  if (!quote || q == '\0') {
    line.append(text);
    return;
  }
  line.push_back(q);
  for (char c : text) {
    if (c == q || c == esc) line.push_back(esc == '\0' ? q : esc);
    line.push_back(c);
  }
  line.push_back(q);
}

void RecordFormatter::jsonString(std::string_view text, std::string& line) const {
  line.push_back('"');
  for (char c : text) {
    switch (c) {
      case '"':
        line += "\\\"";
        break;
      case '\\':
        line += "\\\\";
        break;
      case '\n':
        line += "\\n";
        break;
      case '\r':
        line += "\\r";
        break;
      case '\t':
        line += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", static_cast<unsigned>(c));
          line += buf;
        } else {
          line.push_back(c);
        }
    }
  }
  line.push_back('"');
}

void RecordFormatter::valueText(const ColumnVector& c, size_t row, std::string& out) const {
  const DataType t = c.type();
  switch (t.id()) {
    case TypeId::kBoolean:
      out += c.values<uint8_t>()[row] ? "true" : "false";
      break;
    case TypeId::kInt:
      appendInteger(out, c.values<int32_t>()[row]);
      break;
    case TypeId::kBigInt:
      appendInteger(out, c.values<int64_t>()[row]);
      break;
    case TypeId::kDouble:
      out += formatDouble(c.values<double>()[row]);
      break;
    case TypeId::kDecimal:
      out += formatDecimal(t.isWideDecimal() ? c.values<Int128>()[row] : c.values<int64_t>()[row],
                           t.scale());
      break;
    case TypeId::kDate:
      date_.formatDate(c.values<int32_t>()[row], out);
      break;
    case TypeId::kTimestamp:
      timestamp_.formatTimestamp(c.values<int64_t>()[row], out);
      break;
    default:
      out.append(c.stringAt(row));
  }
}

void RecordFormatter::csvRow(const Batch& b, size_t row, std::string& line) const {
  for (size_t i = 0; i < b.numColumns(); ++i) {
    if (i) line.push_back(options_.sep);
    const ColumnVector& c = b.column(i);
    if (c.isNull(row)) {
      line += options_.nullValue;
    } else if (c.physical() == Physical::kString) {
      csvField(c.stringAt(row), line);
    } else {
      scratch_.clear();
      valueText(c, row, scratch_);
      csvField(scratch_, line);
    }
  }
}

void RecordFormatter::jsonRow(const Batch& b, size_t row, std::string& line) const {
  line.push_back('{');
  bool first = true;
  for (size_t i = 0; i < b.numColumns(); ++i) {
    const ColumnVector& c = b.column(i);
    if (c.isNull(row) && ignoreNullFields_) continue;
    if (!first) line.push_back(',');
    first = false;
    jsonString(names_[i], line);
    line.push_back(':');
    jsonValue(c, row, line);
  }
  line.push_back('}');
}

void RecordFormatter::jsonValue(const ColumnVector& c, size_t row, std::string& line) const {
  const TypeId id = c.type().id();
  if (c.isNull(row)) {
    line += "null";
  } else if (id == TypeId::kArray) {
    // A JSON array, its null elements written as null (as Spark's).
    line.push_back('[');
    for (uint32_t e = c.arrayBegin(row); e < c.arrayEnd(row); ++e) {
      if (e > c.arrayBegin(row)) line.push_back(',');
      jsonValue(c.elements(), e, line);
    }
    line.push_back(']');
  } else if (c.physical() == Physical::kString) {
    jsonString(c.stringAt(row), line);
  } else {
    scratch_.clear();
    valueText(c, row, scratch_);
    const bool finite = id != TypeId::kDouble || std::isfinite(c.values<double>()[row]);
    // Dates, timestamps and NaN/Infinity are strings in JSON.
    if (id == TypeId::kDate || id == TypeId::kTimestamp || !finite) {
      jsonString(scratch_, line);
    } else {
      line += scratch_;
    }
  }
}

void RecordFormatter::format(const Batch& b, size_t row, std::string& line) const {
  line.clear();
  if (format_ == "csv") return csvRow(b, row, line);
  if (format_ == "json") return jsonRow(b, row, line);
  if (!b.column(0).isNull(row)) line.append(b.column(0).stringAt(row));
}

}  // namespace ember::sql

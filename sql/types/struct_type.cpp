#include "sql/types/struct_type.hpp"

#include <strings.h>
#include <algorithm>
#include <cctype>

#include "sql/errors.hpp"

namespace ember {
namespace {

/// The comma-separated parts of `ddl`, ignoring commas inside parentheses
/// (DECIMAL(10,2)), angle brackets (ARRAY<DECIMAL(10,2)>) and backquotes.
std::vector<std::string> splitFields(const std::string& ddl) {
  std::vector<std::string> parts(1);
  int depth = 0;
  bool quoted = false;
  for (char c : ddl) {
    if (c == '`') quoted = !quoted;
    if (!quoted && (c == '(' || c == '<')) ++depth;
    if (!quoted && (c == ')' || c == '>')) --depth;
    if (!quoted && depth == 0 && c == ',') {
      parts.emplace_back();
      continue;
    }
    parts.back() += c;
  }
  return parts;
}

std::string trimmed(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

bool endsWithNotNull(std::string& type) {
  static const std::string kNotNull = "not null";
  if (type.size() < kNotNull.size()) return false;
  const std::string tail = type.substr(type.size() - kNotNull.size());
  if (strcasecmp(tail.c_str(), kNotNull.c_str()) != 0) return false;
  type = trimmed(type.substr(0, type.size() - kNotNull.size()));
  return true;
}

StructField parseField(const std::string& part, const std::string& ddl) {
  const std::string text = trimmed(part);
  if (text.empty()) throw ParseException("schema '" + ddl + "': an empty field");
  std::string name;
  size_t rest = 0;
  if (text.front() == '`') {
    const size_t close = text.find('`', 1);
    if (close == std::string::npos)
      throw ParseException("schema '" + ddl + "': unclosed backquote in '" + text + "'");
    name = text.substr(1, close - 1);
    rest = close + 1;
  } else {
    rest = text.find_first_of(" \t:");
    if (rest == std::string::npos)
      throw ParseException("schema '" + ddl + "': field '" + text + "' has no type");
    name = text.substr(0, rest);
  }
  std::string type = trimmed(text.substr(rest));
  if (!type.empty() && type.front() == ':') type = trimmed(type.substr(1));
  if (type.empty()) throw ParseException("schema '" + ddl + "': field '" + name + "' has no type");
  const bool notNull = endsWithNotNull(type);
  return StructField{name, DataType::fromString(type), !notNull};
}

}  // namespace

StructType StructType::fromDDL(const std::string& ddl) {
  std::vector<StructField> fields;
  if (trimmed(ddl).empty()) return StructType();
  for (const std::string& part : splitFields(ddl)) fields.push_back(parseField(part, ddl));
  return StructType(std::move(fields));
}

StructType StructType::add(std::string name, DataType type, bool nullable) const {
  StructType copy = *this;
  copy.fields_.push_back(StructField{std::move(name), type, nullable});
  return copy;
}

std::vector<std::string> StructType::fieldNames() const {
  std::vector<std::string> names;
  names.reserve(fields_.size());
  for (const StructField& f : fields_) names.push_back(f.name);
  return names;
}

std::optional<size_t> StructType::find(const std::string& name) const {
  for (size_t i = 0; i < fields_.size(); ++i)
    if (strcasecmp(fields_[i].name.c_str(), name.c_str()) == 0) return i;
  return std::nullopt;
}

std::string StructType::treeString() const {
  std::string out = "root\n";
  for (const StructField& f : fields_) {
    out += " |-- " + f.name + ": " + f.dataType.typeName() +
           " (nullable = " + (f.nullable ? "true" : "false") + ")\n";
    if (f.dataType.isArray())
      out +=
          " |    |-- element: " + f.dataType.elementType().typeName() + " (containsNull = true)\n";
  }
  return out;
}

std::string StructType::toDDL() const {
  std::string out;
  for (const StructField& f : fields_) {
    if (!out.empty()) out += ",";
    const bool plain = !f.name.empty() && std::all_of(f.name.begin(), f.name.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
    });
    out += (plain ? f.name : "`" + f.name + "`") + " " + f.dataType.sqlName();
    if (!f.nullable) out += " NOT NULL";
  }
  return out;
}

std::string StructType::simpleString() const {
  std::string out = "struct<";
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (i) out += ",";
    out += fields_[i].name + ":" + fields_[i].dataType.simpleString();
  }
  return out + ">";
}

}  // namespace ember

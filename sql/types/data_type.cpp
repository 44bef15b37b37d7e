#include "sql/types/data_type.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "sql/errors.hpp"

namespace ember {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

int parseInt(const std::string& text, const std::string& whole) {
  const std::string t = trim(text);
  int v = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || end != t.data() + t.size() || t.empty())
    throw ParseException("'" + whole + "': '" + t + "' is not a number");
  return v;
}

DataType parseDecimal(const std::string& args, const std::string& whole) {
  if (args.empty()) return DataType::decimal(10, 0);  // Spark's default DECIMAL
  if (args.front() != '(' || args.back() != ')')
    throw ParseException("'" + whole + "': expected DECIMAL(precision, scale)");
  const std::string inner = args.substr(1, args.size() - 2);
  const size_t comma = inner.find(',');
  if (comma == std::string::npos) return DataType::decimal(parseInt(inner, whole), 0);
  return DataType::decimal(parseInt(inner.substr(0, comma), whole),
                           parseInt(inner.substr(comma + 1), whole));
}

std::string decimalName(const char* word, int p, int s) {
  return std::string(word) + "(" + std::to_string(p) + "," + std::to_string(s) + ")";
}

}  // namespace

DataType DataType::decimal(int precision, int scale) {
  if (precision < 1 || precision > kMaxPrecision || scale < 0 || scale > precision) {
    throw AnalysisException("DECIMAL(" + std::to_string(precision) + "," + std::to_string(scale) +
                            ") is not a valid decimal type: precision must be 1 to 38 and "
                            "scale 0 to the precision");
  }
  return DataType(TypeId::kDecimal, precision, scale);
}

DataType DataType::array(DataType element) {
  if (element.isArray())
    throw AnalysisException("ARRAY<" + element.sqlName() +
                            ">: ember does not support arrays of arrays (nested ArrayType)");
  return DataType(TypeId::kArray, element.id_, element.precision_, element.scale_);
}

DataType DataType::fromString(const std::string& text) {
  const std::string t = lower(trim(text));
  if (const auto open = std::find(t.begin(), t.end(), '<');
      t.starts_with("array") && open != t.end()) {
    if (trim(std::string(t.begin() + 5, open)).empty() && t.back() == '>')
      return array(fromString(std::string(open + 1, t.end() - 1)));
    throw ParseException("'" + trim(text) + "': expected ARRAY<element type>");
  }
  // std::find, not t.find: GCC 12 warns of a memchr past the end in the
  // latter when this file is compiled after the precompiled RDD headers.
  const auto paren = std::find(t.begin(), t.end(), '(');
  const std::string word = trim(std::string(t.begin(), paren));
  const std::string args = paren == t.end() ? "" : trim(std::string(paren, t.end()));
  if (word == "decimal" || word == "dec" || word == "numeric") return parseDecimal(args, text);
  if (args.empty()) {
    if (word == "boolean" || word == "bool") return boolean();
    if (word == "int" || word == "integer") return integer();
    if (word == "bigint" || word == "long") return bigint();
    if (word == "double" || word == "float64") return float64();
    if (word == "string" || word == "varchar" || word == "text") return string();
    if (word == "date") return date();
    if (word == "timestamp") return timestamp();
    if (word == "void" || word == "null") return null();
  }
  throw ParseException("unknown type '" + trim(text) +
                       "'; ember's types are BOOLEAN, INT, BIGINT, DOUBLE, DECIMAL(p,s), STRING, "
                       "DATE, TIMESTAMP and ARRAY<type>");
}

std::string DataType::simpleString() const {
  switch (id_) {
    case TypeId::kNull:
      return "void";
    case TypeId::kBoolean:
      return "boolean";
    case TypeId::kInt:
      return "int";
    case TypeId::kBigInt:
      return "bigint";
    case TypeId::kDouble:
      return "double";
    case TypeId::kDecimal:
      return decimalName("decimal", precision_, scale_);
    case TypeId::kString:
      return "string";
    case TypeId::kDate:
      return "date";
    case TypeId::kTimestamp:
      return "timestamp";
    case TypeId::kArray:
      return "array<" + elementType().simpleString() + ">";
  }
  return "?";
}

std::string DataType::typeName() const {
  switch (id_) {
    case TypeId::kInt:
      return "integer";
    case TypeId::kBigInt:
      return "long";
    case TypeId::kArray:
      return "array";
    default:
      return simpleString();
  }
}

std::string DataType::sqlName() const {
  std::string s = simpleString();
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}

DataType decimalFor(DataType type) {
  switch (type.id()) {
    case TypeId::kInt:
      return DataType::decimal(10, 0);
    case TypeId::kBigInt:
      return DataType::decimal(20, 0);
    default:
      return type;
  }
}

}  // namespace ember

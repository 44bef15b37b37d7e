#include "sql/io/json_parser.hpp"

#include "sql/io/field_parsing.hpp"

namespace ember::sql {
namespace {

bool isBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void appendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

/// Reads the 4 hex digits of \uXXXX at `pos`.
bool hex4(std::string_view s, size_t pos, uint32_t& v) {
  if (pos + 4 > s.size()) return false;
  v = 0;
  for (size_t i = pos; i < pos + 4; ++i) {
    const int h = hexValue(s[i]);
    if (h < 0) return false;
    v = v * 16 + static_cast<uint32_t>(h);
  }
  return true;
}

DataType typeOfValue(const JsonValue& v) {
  switch (v.kind) {
    case JsonKind::kNull:
      return DataType::null();
    case JsonKind::kTrue:
    case JsonKind::kFalse:
      return DataType::boolean();
    case JsonKind::kNumber: {
      if (!v.integral) return DataType::float64();
      if (parseLongField(v.text)) return DataType::bigint();
      const size_t digits = v.text.size() - (v.text[0] == '-');
      return digits <= DataType::kMaxPrecision ? DataType::decimal(static_cast<int>(digits), 0)
                                               : DataType::float64();
    }
    default:
      return DataType::string();
  }
}

}  // namespace

bool JsonObjectReader::begin(std::string_view line) {
  s_ = line;
  pos_ = 0;
  members_ = 0;
  skipBlanks();
  if (pos_ >= s_.size() || s_[pos_] != '{') return false;
  ++pos_;
  return true;
}

void JsonObjectReader::skipBlanks() {
  while (pos_ < s_.size() && isBlank(s_[pos_])) ++pos_;
}

bool JsonObjectReader::string(std::string& scratch, std::string_view& out) {
  if (pos_ >= s_.size() || s_[pos_] != '"') return false;
  const size_t start = ++pos_;
  bool copied = false;
  for (; pos_ < s_.size(); ++pos_) {
    const char c = s_[pos_];
    if (c == '"') {
      out = copied ? std::string_view(scratch) : s_.substr(start, pos_ - start);
      ++pos_;
      return true;
    }
    if (c != '\\') {
      if (copied) scratch.push_back(c);
      continue;
    }
    if (!copied) {
      scratch.assign(s_.substr(start, pos_ - start));
      copied = true;
    }
    if (++pos_ >= s_.size()) return false;
    switch (s_[pos_]) {
      case 'n':
        scratch.push_back('\n');
        break;
      case 't':
        scratch.push_back('\t');
        break;
      case 'r':
        scratch.push_back('\r');
        break;
      case 'b':
        scratch.push_back('\b');
        break;
      case 'f':
        scratch.push_back('\f');
        break;
      case 'u': {
        uint32_t cp;
        if (!hex4(s_, pos_ + 1, cp)) return false;
        pos_ += 4;
        uint32_t low;
        // A surrogate pair is one code point.
        if (cp >= 0xD800 && cp < 0xDC00 && s_.substr(pos_ + 1, 2) == "\\u" &&
            hex4(s_, pos_ + 3, low) && low >= 0xDC00 && low < 0xE000) {
          cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          pos_ += 6;
        }
        appendUtf8(scratch, cp);
        break;
      }
      default:  // \" \\ \/
        scratch.push_back(s_[pos_]);
    }
  }
  return false;
}

bool JsonObjectReader::number(JsonValue& v) {
  const size_t start = pos_;
  auto digits = [&] {
    const size_t from = pos_;
    while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
    return pos_ > from;
  };
  if (pos_ < s_.size() && s_[pos_] == '-') ++pos_;
  if (!digits()) return false;
  v.integral = true;
  if (pos_ < s_.size() && s_[pos_] == '.') {
    ++pos_;
    v.integral = false;
    if (!digits()) return false;
  }
  if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
    ++pos_;
    v.integral = false;
    if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
    if (!digits()) return false;
  }
  v.kind = JsonKind::kNumber;
  v.text = s_.substr(start, pos_ - start);
  return true;
}

bool JsonObjectReader::nested() {
  int depth = 0;
  std::string ignored;
  std::string_view unused;
  while (pos_ < s_.size()) {
    const char c = s_[pos_];
    if (c == '"') {
      if (!string(ignored, unused)) return false;
      continue;
    }
    if (c == '{' || c == '[') ++depth;
    if (c == '}' || c == ']') --depth;
    ++pos_;
    if (depth == 0) return true;
  }
  return false;
}

bool JsonObjectReader::value(JsonValue& v, size_t index) {
  if (pos_ >= s_.size()) return false;
  const char c = s_[pos_];
  const size_t start = pos_;
  v.integral = false;
  if (c == '"') {
    if (strings_.size() <= index) strings_.resize(index + 1);
    v.kind = JsonKind::kString;
    return string(strings_[index], v.text);
  }
  if (c == '{' || c == '[') {
    v.kind = JsonKind::kNested;
    if (!nested()) return false;
    v.text = s_.substr(start, pos_ - start);
    return true;
  }
  for (auto [word, kind] : {std::pair{std::string_view("true"), JsonKind::kTrue},
                            std::pair{std::string_view("false"), JsonKind::kFalse},
                            std::pair{std::string_view("null"), JsonKind::kNull}}) {
    if (s_.substr(pos_, word.size()) == word) {
      v.kind = kind;
      v.text = word;
      pos_ += word.size();
      return true;
    }
  }
  return number(v);
}

int JsonObjectReader::next(std::string_view& key, JsonValue& value) {
  skipBlanks();
  if (pos_ < s_.size() && s_[pos_] == '}') {
    ++pos_;
    skipBlanks();
    return pos_ == s_.size() ? 0 : -1;
  }
  if (members_ > 0) {
    if (pos_ >= s_.size() || s_[pos_] != ',') return -1;
    ++pos_;
    skipBlanks();
  }
  if (!string(key_, key)) return -1;
  skipBlanks();
  if (pos_ >= s_.size() || s_[pos_] != ':') return -1;
  ++pos_;
  skipBlanks();
  if (!this->value(value, members_)) return -1;
  ++members_;
  return 1;
}

JsonParser::JsonParser(const StructType& dataSchema, const std::vector<size_t>& required,
                       const ReadOptions& options) {
  for (size_t slot = 0; slot < required.size(); ++slot)
    names_.push_back(dataSchema[required[slot]].name);
  for (size_t slot = 0; slot < names_.size(); ++slot)
    if (names_[slot] != options.corruptColumn) slots_.emplace(names_[slot], slot);
}

bool JsonParser::convert(size_t slot, const JsonValue& v, RecordBuilder& out) {
  if (v.kind == JsonKind::kNull) {
    out.setNull(slot);
    return true;
  }
  bool fits = false;
  switch (out.type(slot).id()) {
    case TypeId::kString:
      fits = true;  // a number or a nested value as its JSON text
      break;
    case TypeId::kBoolean:
      fits = v.kind == JsonKind::kTrue || v.kind == JsonKind::kFalse;
      break;
    case TypeId::kInt:
    case TypeId::kBigInt:
      fits = v.kind == JsonKind::kNumber && v.integral;
      break;
    case TypeId::kDouble:  // also "NaN" and "Infinity" as strings, as Spark
      fits = v.kind == JsonKind::kNumber ||
             (v.kind == JsonKind::kString &&
              (v.text == "NaN" || v.text == "Infinity" || v.text == "-Infinity"));
      break;
    case TypeId::kDecimal:
      fits = v.kind == JsonKind::kNumber;
      break;
    default:  // DATE, TIMESTAMP
      fits = v.kind == JsonKind::kString;
  }
  if (!fits) {
    out.setNull(slot);
    return false;
  }
  return out.set(slot, v.text);
}

ParseFailure JsonParser::parse(std::string_view line, RecordBuilder& out) {
  ParseFailure failure;
  auto fail = [&](std::string field, std::string detail) {
    if (failure.malformed) return;
    failure = {true, std::move(field), std::move(detail)};
  };
  if (!reader_.begin(line)) {
    fail("", "the line is not a JSON object");
    return failure;
  }
  std::string_view key;
  JsonValue v;
  int more;
  while ((more = reader_.next(key, v)) == 1) {
    const auto it = slots_.find(key);
    if (it == slots_.end()) continue;  // a member the plan does not read
    if (!convert(it->second, v, out))
      fail(names_[it->second], "'" + std::string(v.text) + "' is not a value of type " +
                                   out.type(it->second).sqlName());
  }
  if (more < 0) {
    for (size_t slot = 0; slot < out.width(); ++slot) out.setNull(slot);
    failure = {true, "", "the line is not valid JSON"};
  }
  return failure;
}

bool JsonSchemaInference::add(std::string_view text) {
  members_ = 0;
  std::string_view key;
  JsonValue v;
  int more = reader_.begin(text) ? 1 : -1;
  while (more == 1 && (more = reader_.next(key, v)) == 1) {
    // Copied: an escaped key's view does not outlive the next member.
    if (members_ == line_.size()) line_.emplace_back();
    line_[members_].first.assign(key);
    line_[members_++].second = typeOfValue(v);
  }
  if (more < 0) {
    corrupt_ = true;  // Spark's inference skips the record
    return false;
  }
  for (size_t m = 0; m < members_; ++m) {
    const auto& [name, type] = line_[m];
    auto it = types_.find(name);
    if (it == types_.end()) {
      types_.emplace(name, type);
    } else {
      it->second = widerInferredType(it->second, type);
    }
  }
  return true;
}

}  // namespace ember::sql

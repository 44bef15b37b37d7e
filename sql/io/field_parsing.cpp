#include "sql/io/field_parsing.hpp"

#include <strings.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include "sql/types/date_time.hpp"
#include "sql/types/numeric_rank.hpp"

namespace ember::sql {
namespace {

/// from_chars over the whole text, a leading '+' allowed as Java allows it.
template <class T>
std::optional<T> wholeNumber(std::string_view s) {
  if (s.size() > 1 && s[0] == '+' && s[1] != '-') s.remove_prefix(1);
  T v{};
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

bool equalsIgnoreCase(std::string_view a, const char* b) {
  const size_t n = std::char_traits<char>::length(b);
  return a.size() == n && strncasecmp(a.data(), b, n) == 0;
}

/// Digits of an optionally signed integer, or 0 when `s` is not one.
int integerDigits(std::string_view s) {
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  if (s.empty()) return 0;
  for (char c : s)
    if (c < '0' || c > '9') return 0;
  while (s.size() > 1 && s[0] == '0') s.remove_prefix(1);
  return static_cast<int>(s.size());
}

}  // namespace

std::optional<int32_t> parseIntField(std::string_view s) { return wholeNumber<int32_t>(s); }

std::optional<int64_t> parseLongField(std::string_view s) { return wholeNumber<int64_t>(s); }

std::optional<double> parseDoubleField(std::string_view s) {
  if (auto v = wholeNumber<double>(s)) {
    // from_chars takes "inf" and "nan", Java does not; the words below are Spark's.
    if (std::isfinite(*v) || s.find_first_of("0123456789") != std::string_view::npos) return v;
  }
  if (s == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (s == "Infinity" || s == "+Infinity" || s == "Inf" || s == "+Inf")
    return std::numeric_limits<double>::infinity();
  if (s == "-Infinity" || s == "-Inf") return -std::numeric_limits<double>::infinity();
  return std::nullopt;
}

std::optional<bool> parseBooleanField(std::string_view s) {
  if (equalsIgnoreCase(s, "true")) return true;
  if (equalsIgnoreCase(s, "false")) return false;
  return std::nullopt;
}

std::optional<int32_t> parseDateField(std::string_view s, const ReadOptions& o) {
  return o.dateFormat ? o.dateFormat->parseDate(s) : parseDate(s);
}

std::optional<int64_t> parseTimestampField(std::string_view s, const ReadOptions& o) {
  return o.timestampFormat ? o.timestampFormat->parseTimestamp(s) : parseTimestamp(s);
}

DataType inferFieldType(std::string_view s, const ReadOptions& o) {
  if (parseIntField(s)) return DataType::integer();
  if (parseLongField(s)) return DataType::bigint();
  // Spark keeps integers beyond BIGINT exact, as DECIMAL(digits, 0).
  if (const int digits = integerDigits(s); digits > 0 && digits <= DataType::kMaxPrecision)
    return DataType::decimal(digits, 0);
  if (parseDoubleField(s)) return DataType::float64();
  static const DateTimePattern kIsoDate("yyyy-MM-dd");
  const DateTimePattern& datePattern = o.dateFormat ? *o.dateFormat : kIsoDate;
  if (o.prefersDate && datePattern.parseDate(s)) return DataType::date();
  // A timestamp needs a time: CAST's lenient parse also takes a bare date.
  const bool hasTime = o.timestampFormat || s.find(':') != std::string_view::npos;
  if (hasTime && parseTimestampField(s, o)) return DataType::timestamp();
  if (parseBooleanField(s)) return DataType::boolean();
  return DataType::string();
}

DataType widerInferredType(DataType a, DataType b) {
  if (a == b) return a;
  if (a.id() == TypeId::kNull) return b;
  if (b.id() == TypeId::kNull) return a;
  const int ra = numericRank(a), rb = numericRank(b);
  if (ra && rb) {
    if (ra == 4 || rb == 4) return DataType::float64();
    if (ra == 3 || rb == 3) {
      // An integer meets a decimal as the decimal of its digits.
      const int pa = ra == 3 ? a.precision() : (ra == 1 ? 10 : 20);
      const int pb = rb == 3 ? b.precision() : (rb == 1 ? 10 : 20);
      const int p = std::max(pa, pb);
      return p <= DataType::kMaxPrecision ? DataType::decimal(p, 0) : DataType::float64();
    }
    return DataType::bigint();
  }
  const auto temporal = [](DataType t) {
    return t.id() == TypeId::kDate || t.id() == TypeId::kTimestamp;
  };
  if (temporal(a) && temporal(b)) return DataType::timestamp();
  return DataType::string();
}

}  // namespace ember::sql

#include "sql/io/datetime_pattern.hpp"

#include <cstdio>

#include "sql/errors.hpp"
#include "sql/types/date_time.hpp"

namespace ember::sql {

struct DateTimePattern::Fields {
  int year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0;
  int64_t micros = 0;  ///< the fraction of the second
  int offsetSeconds = 0;
  bool pm = false;
};

namespace {

bool isPatternLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

int daysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

/// `width` digits exactly when width > 1 (as Java's "MM"), 1..maxDigits
/// when the pattern has one letter (Java's "M" takes "7" and "12").
std::optional<int> readNumber(std::string_view s, size_t& pos, int width, int maxDigits) {
  const int most = width > 1 ? width : maxDigits;
  int v = 0, n = 0;
  while (pos < s.size() && n < most && s[pos] >= '0' && s[pos] <= '9') {
    v = v * 10 + (s[pos++] - '0');
    ++n;
  }
  if (n == 0 || (width > 1 && n < width)) return std::nullopt;
  return v;
}

void appendNumber(std::string& out, int64_t v, int width) {
  char buf[24];
  std::snprintf(buf, sizeof(buf), "%0*lld", width, static_cast<long long>(v));
  out += buf;
}

/// "Z", "+01:00", "+0100", "+01".
bool readOffset(std::string_view s, size_t& pos, int& seconds) {
  if (pos < s.size() && s[pos] == 'Z') {
    ++pos;
    seconds = 0;
    return true;
  }
  if (pos >= s.size() || (s[pos] != '+' && s[pos] != '-')) return false;
  const int sign = s[pos++] == '-' ? -1 : 1;
  auto h = readNumber(s, pos, 2, 2);
  if (!h) return false;
  int m = 0;
  if (pos < s.size() && s[pos] == ':') ++pos;
  if (auto mm = readNumber(s, pos, 2, 2)) m = *mm;
  seconds = sign * (*h * 3600 + m * 60);
  return true;
}

}  // namespace

DateTimePattern::DateTimePattern(const std::string& pattern) : pattern_(pattern) { compile(); }

void DateTimePattern::compile() {
  std::vector<size_t> open;
  auto fail = [&](const std::string& why) {
    throw AnalysisException("[INVALID_DATETIME_PATTERN] the datetime pattern '" + pattern_ + "' " +
                            why +
                            "; use letters y M d H h a m s S X, 'quoted text' and [optional] "
                            "sections (see Spark's Datetime Patterns)");
  };
  for (size_t i = 0; i < pattern_.size();) {
    const char c = pattern_[i];
    if (c == '\'') {
      const size_t close = pattern_.find('\'', i + 1);
      if (close == std::string::npos) fail("has an unclosed quote");
      // '' is a quote character itself.
      const std::string text = close == i + 1 ? "'" : pattern_.substr(i + 1, close - i - 1);
      tokens_.push_back({Kind::kLiteral, 0, text, 0});
      i = close + 1;
      continue;
    }
    if (c == '[' || c == ']') {
      if (c == '[') {
        open.push_back(tokens_.size());
        tokens_.push_back({Kind::kOptionalBegin, 0, "", 0});
      } else {
        if (open.empty()) fail("has ']' without '['");
        tokens_[open.back()].end = tokens_.size();
        open.pop_back();
        tokens_.push_back({Kind::kOptionalEnd, 0, "", 0});
      }
      ++i;
      continue;
    }
    if (!isPatternLetter(c)) {
      tokens_.push_back({Kind::kLiteral, 0, std::string(1, c), 0});
      ++i;
      continue;
    }
    size_t j = i;
    while (j < pattern_.size() && pattern_[j] == c) ++j;
    const int width = static_cast<int>(j - i);
    Kind kind;
    switch (c) {
      case 'y':
      case 'u':
        kind = Kind::kYear;
        break;
      case 'M':
      case 'L':
        kind = Kind::kMonth;
        break;
      case 'd':
        kind = Kind::kDay;
        break;
      case 'H':
        kind = Kind::kHour;
        break;
      case 'h':
        kind = Kind::kHour12;
        break;
      case 'a':
        kind = Kind::kAmPm;
        break;
      case 'm':
        kind = Kind::kMinute;
        break;
      case 's':
        kind = Kind::kSecond;
        break;
      case 'S':
        kind = Kind::kFraction;
        break;
      case 'X':
      case 'x':
      case 'Z':
        kind = Kind::kOffset;
        break;
      default:
        fail(std::string("uses the letter '") + c + "', which ember does not support");
    }
    if (kind == Kind::kFraction && width > 9) fail("has more than 9 fraction digits");
    tokens_.push_back({kind, width, "", 0});
    i = j;
  }
  if (!open.empty()) fail("has '[' without ']'");
}

bool DateTimePattern::parseToken(const Token& t, std::string_view s, size_t& pos, Fields& f) const {
  auto number = [&](int& field, int maxDigits) {
    auto v = readNumber(s, pos, t.width == 2 && maxDigits == 4 ? 2 : t.width, maxDigits);
    if (!v) return false;
    field = *v;
    return true;
  };
  switch (t.kind) {
    case Kind::kLiteral:
      if (s.substr(pos, t.literal.size()) != t.literal) return false;
      pos += t.literal.size();
      return true;
    case Kind::kYear:
      if (!number(f.year, t.width > 4 ? t.width : 4)) return false;
      if (t.width == 2) f.year += 2000;  // Java's "yy": 2000-2099
      return true;
    case Kind::kMonth:
      return number(f.month, 2);
    case Kind::kDay:
      return number(f.day, 2);
    case Kind::kHour:
    case Kind::kHour12:
      return number(f.hour, 2);
    case Kind::kMinute:
      return number(f.minute, 2);
    case Kind::kSecond:
      return number(f.second, 2);
    case Kind::kFraction: {
      int64_t v = 0, scale = 100'000;
      int n = 0;
      while (pos < s.size() && n < t.width && s[pos] >= '0' && s[pos] <= '9') {
        v += (s[pos++] - '0') * scale;
        scale /= 10;
        ++n;
      }
      f.micros = v;
      return n == t.width;
    }
    case Kind::kAmPm: {
      const std::string_view two = s.substr(pos, 2);
      if (two != "AM" && two != "PM" && two != "am" && two != "pm") return false;
      f.pm = two[0] == 'P' || two[0] == 'p';
      pos += 2;
      return true;
    }
    case Kind::kOffset:
      return readOffset(s, pos, f.offsetSeconds);
    case Kind::kOptionalBegin:
    case Kind::kOptionalEnd:
      return true;
  }
  return false;
}

bool DateTimePattern::parseRange(std::string_view s, size_t& pos, size_t from, size_t to,
                                 Fields& f) const {
  for (size_t i = from; i < to; ++i) {
    const Token& t = tokens_[i];
    if (t.kind == Kind::kOptionalBegin) {
      // An optional section matches whole or not at all.
      size_t tried = pos;
      Fields saved = f;
      if (parseRange(s, tried, i + 1, t.end, f)) {
        pos = tried;
      } else {
        f = saved;
      }
      i = t.end;
      continue;
    }
    if (!parseToken(t, s, pos, f)) return false;
  }
  return true;
}

bool DateTimePattern::parse(std::string_view text, Fields& f) const {
  size_t pos = 0;
  if (!parseRange(text, pos, 0, tokens_.size(), f) || pos != text.size()) return false;
  for (const Token& t : tokens_) {
    if (t.kind != Kind::kHour12) continue;
    if (f.hour < 1 || f.hour > 12) return false;
    f.hour = f.hour % 12 + (f.pm ? 12 : 0);
  }
  return f.month >= 1 && f.month <= 12 && f.day >= 1 && f.day <= daysInMonth(f.year, f.month) &&
         f.hour <= 23 && f.minute <= 59 && f.second <= 59;
}

std::optional<int32_t> DateTimePattern::parseDate(std::string_view text) const {
  Fields f;
  if (!parse(text, f)) return std::nullopt;
  return daysFromCivil(f.year, f.month, f.day);
}

std::optional<int64_t> DateTimePattern::parseTimestamp(std::string_view text) const {
  Fields f;
  if (!parse(text, f)) return std::nullopt;
  const int64_t seconds = int64_t{daysFromCivil(f.year, f.month, f.day)} * 86'400 + f.hour * 3600 +
                          f.minute * 60 + f.second - f.offsetSeconds;
  return seconds * kMicrosPerSecond + f.micros;
}

void DateTimePattern::format(const Fields& f, std::string& out) const {
  for (const Token& t : tokens_) {
    switch (t.kind) {
      case Kind::kLiteral:
        out += t.literal;
        break;
      case Kind::kYear:
        appendNumber(out, t.width == 2 ? f.year % 100 : f.year, t.width == 2 ? 2 : t.width);
        break;
      case Kind::kMonth:
        appendNumber(out, f.month, t.width);
        break;
      case Kind::kDay:
        appendNumber(out, f.day, t.width);
        break;
      case Kind::kHour:
        appendNumber(out, f.hour, t.width);
        break;
      case Kind::kHour12:
        appendNumber(out, f.hour % 12 == 0 ? 12 : f.hour % 12, t.width);
        break;
      case Kind::kAmPm:
        out += f.hour < 12 ? "AM" : "PM";
        break;
      case Kind::kMinute:
        appendNumber(out, f.minute, t.width);
        break;
      case Kind::kSecond:
        appendNumber(out, f.second, t.width);
        break;
      case Kind::kFraction: {
        int64_t v = f.micros;
        for (int i = t.width; i < 6; ++i) v /= 10;
        for (int i = 6; i < t.width; ++i) v *= 10;
        appendNumber(out, v, t.width);
        break;
      }
      case Kind::kOffset:
        out += 'Z';  // times are UTC
        break;
      case Kind::kOptionalBegin:
      case Kind::kOptionalEnd:
        break;
    }
  }
}

void DateTimePattern::formatDate(int32_t days, std::string& out) const {
  const CivilDate c = civilFromDays(days);
  Fields f;
  f.year = c.year;
  f.month = c.month;
  f.day = c.day;
  format(f, out);
}

void DateTimePattern::formatTimestamp(int64_t micros, std::string& out) const {
  const int32_t days = dayOfTimestamp(micros);
  const int64_t inDay = micros - int64_t{days} * kMicrosPerDay;
  const CivilDate c = civilFromDays(days);
  Fields f;
  f.year = c.year;
  f.month = c.month;
  f.day = c.day;
  const int64_t seconds = inDay / kMicrosPerSecond;
  f.hour = static_cast<int>(seconds / 3600);
  f.minute = static_cast<int>(seconds / 60 % 60);
  f.second = static_cast<int>(seconds % 60);
  f.micros = inDay % kMicrosPerSecond;
  format(f, out);
}

}  // namespace ember::sql

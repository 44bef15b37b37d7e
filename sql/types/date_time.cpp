#include "sql/types/date_time.hpp"

#include <algorithm>
#include <cstdio>

namespace ember::sql {
namespace {

/// Reads 1..maxDigits digits at `pos`; nullopt when there is none.
std::optional<int> digits(std::string_view s, size_t& pos, size_t maxDigits) {
  int v = 0;
  size_t n = 0;
  while (pos < s.size() && n < maxDigits && s[pos] >= '0' && s[pos] <= '9') {
    v = v * 10 + (s[pos++] - '0');
    ++n;
  }
  if (n == 0) return std::nullopt;
  return v;
}

bool expect(std::string_view s, size_t& pos, char c) {
  if (pos >= s.size() || s[pos] != c) return false;
  ++pos;
  return true;
}

int daysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// The date at the start of `s`; `pos` after it.
std::optional<int32_t> datePart(std::string_view s, size_t& pos) {
  auto y = digits(s, pos, 4);
  if (!y || !expect(s, pos, '-')) return std::nullopt;
  auto m = digits(s, pos, 2);
  if (!m || *m < 1 || *m > 12 || !expect(s, pos, '-')) return std::nullopt;
  auto d = digits(s, pos, 2);
  if (!d || *d < 1 || *d > daysInMonth(*y, *m)) return std::nullopt;
  return daysFromCivil(*y, *m, *d);
}

}  // namespace

std::optional<int32_t> parseDate(std::string_view text) {
  const std::string_view s = trim(text);
  size_t pos = 0;
  auto days = datePart(s, pos);
  if (!days) return std::nullopt;
  if (pos != s.size() && s[pos] != ' ' && s[pos] != 'T') return std::nullopt;
  return days;
}

std::optional<int64_t> parseTimestamp(std::string_view text) {
  const std::string_view s = trim(text);
  size_t pos = 0;
  auto days = datePart(s, pos);
  if (!days) return std::nullopt;
  int64_t micros = int64_t{*days} * kMicrosPerDay;
  if (pos == s.size()) return micros;
  if (s[pos] != ' ' && s[pos] != 'T') return std::nullopt;
  ++pos;
  auto h = digits(s, pos, 2);
  if (!h || *h > 23 || !expect(s, pos, ':')) return std::nullopt;
  auto mi = digits(s, pos, 2);
  if (!mi || *mi > 59) return std::nullopt;
  int sec = 0;
  int64_t fraction = 0;
  if (expect(s, pos, ':')) {
    auto se = digits(s, pos, 2);
    if (!se || *se > 59) return std::nullopt;
    sec = *se;
    if (expect(s, pos, '.')) {
      int64_t scale = 100'000;
      size_t n = 0;
      for (; pos < s.size() && s[pos] >= '0' && s[pos] <= '9'; ++pos, ++n) {
        if (n < 6) fraction += (s[pos] - '0') * scale;
        scale /= 10;
      }
      if (n == 0) return std::nullopt;
    }
  }
  if (pos < s.size() && s[pos] == 'Z') ++pos;
  if (pos != s.size()) return std::nullopt;
  return micros + (int64_t{*h} * 3600 + *mi * 60 + sec) * kMicrosPerSecond + fraction;
}

std::string formatDate(int32_t days) {
  const CivilDate c = civilFromDays(days);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", c.year, c.month, c.day);
  return buf;
}

std::string formatTimestamp(int64_t micros) {
  const int32_t day = dayOfTimestamp(micros);
  const int64_t inDay = micros - int64_t{day} * kMicrosPerDay;
  const int64_t secs = inDay / kMicrosPerSecond;
  int64_t fraction = inDay % kMicrosPerSecond;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%s %02d:%02d:%02d", formatDate(day).c_str(),
                static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60),
                static_cast<int>(secs % 60));
  std::string out = buf;
  if (fraction != 0) {
    char frac[8];
    std::snprintf(frac, sizeof frac, "%06lld", static_cast<long long>(fraction));
    std::string f = frac;
    while (f.back() == '0') f.pop_back();
    out += "." + f;
  }
  return out;
}

int32_t addMonths(int32_t days, int32_t months) {
  const CivilDate c = civilFromDays(days);
  const int total = c.year * 12 + (c.month - 1) + months;
  const int y = total / 12 - (total % 12 < 0 ? 1 : 0);
  const int m = ((total % 12) + 12) % 12 + 1;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  const int last = kDays[m - 1] + (m == 2 && leap ? 1 : 0);
  return daysFromCivil(y, m, std::min(c.day, last));
}

}  // namespace ember::sql

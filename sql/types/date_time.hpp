#pragma once
// Dates and timestamps: civil calendar conversions, parsing and printing as
// Spark does in its default (non-ANSI) mode, in UTC.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ember::sql {

inline constexpr int64_t kMicrosPerSecond = 1'000'000;
inline constexpr int64_t kMicrosPerDay = 86'400 * kMicrosPerSecond;

struct CivilDate {
  int year;
  int month;  ///< 1..12
  int day;    ///< 1..31
};

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
/// algorithm: exact for every year, no tables).
constexpr int32_t daysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

constexpr CivilDate civilFromDays(int32_t z) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  const int d = doy - (153 * mp + 2) / 5 + 1;
  const int m = mp + (mp < 10 ? 3 : -9);
  return CivilDate{yoe + era * 400 + (m <= 2), m, d};
}

/// Floor division of a timestamp to its day.
constexpr int32_t dayOfTimestamp(int64_t micros) {
  return static_cast<int32_t>(micros >= 0 ? micros / kMicrosPerDay
                                          : (micros - kMicrosPerDay + 1) / kMicrosPerDay);
}

/// "yyyy-[m]m-[d]d", optionally followed by a time part that is ignored, as
/// CAST(string AS DATE) accepts; nullopt when it is not a date.
std::optional<int32_t> parseDate(std::string_view text);

/// `days` (a date) moved by whole months, the day of month kept or clamped
/// to the month's last day, as Spark's add_months.
int32_t addMonths(int32_t days, int32_t months);
/// "yyyy-[m]m-[d]d[( |T)[h]h:[m]m[:[s]s[.fraction]]][Z]", as CAST(string AS
/// TIMESTAMP) accepts; nullopt when it is not one.
std::optional<int64_t> parseTimestamp(std::string_view text);

/// "2024-07-01".
std::string formatDate(int32_t days);
/// "2024-07-01 10:30:00", with the fraction of a second when there is one
/// (".5", ".123456"), as Spark's show prints.
std::string formatTimestamp(int64_t micros);

}  // namespace ember::sql

#pragma once
// DateTimePattern: Spark's (Java's DateTimeFormatter) date and timestamp
// patterns, "yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm:ss[.SSS][XXX]", for the
// dateFormat and timestampFormat options of readers and writers.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ember::sql {

/// A compiled pattern. Letters: y (year), M (month), d (day), H (hour of
/// day), m (minute), s (second), S (fraction of a second, one letter a
/// digit), a (AM/PM) with h (hour 1-12), X / XXX / Z / x (zone offset:
/// "Z", "+01:00"); 'quoted text' and other characters are literals; [ ]
/// encloses an optional section. Times are UTC.
///
/// Thread safety: immutable after construction.
class DateTimePattern {
 public:
  /// Throws AnalysisException naming the pattern for a letter it does not
  /// support or an unclosed quote or bracket.
  explicit DateTimePattern(const std::string& pattern);

  const std::string& pattern() const { return pattern_; }

  /// Days since the epoch of the whole of `text`; nullopt when it does not
  /// match (or is not a valid date).
  std::optional<int32_t> parseDate(std::string_view text) const;
  /// Microseconds since the epoch of the whole of `text`, UTC unless the
  /// text gives an offset.
  std::optional<int64_t> parseTimestamp(std::string_view text) const;

  /// `days` as the pattern prints it (optional sections included).
  void formatDate(int32_t days, std::string& out) const;
  void formatTimestamp(int64_t micros, std::string& out) const;

 private:
  enum class Kind : uint8_t {
    kLiteral,
    kYear,
    kMonth,
    kDay,
    kHour,
    kHour12,
    kAmPm,
    kMinute,
    kSecond,
    kFraction,
    kOffset,
    kOptionalBegin,
    kOptionalEnd,
  };
  struct Token {
    Kind kind;
    int width = 0;        ///< letters of the field
    std::string literal;  ///< kLiteral
    size_t end = 0;       ///< kOptionalBegin: the index of its kOptionalEnd
  };
  struct Fields;

  bool parse(std::string_view text, Fields& f) const;
  bool parseRange(std::string_view text, size_t& pos, size_t from, size_t to, Fields& f) const;
  bool parseToken(const Token& t, std::string_view text, size_t& pos, Fields& f) const;
  void format(const Fields& f, std::string& out) const;
  void compile();

  std::string pattern_;
  std::vector<Token> tokens_;
};

}  // namespace ember::sql

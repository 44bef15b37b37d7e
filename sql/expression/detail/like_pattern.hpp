#pragma once
// LikePattern: SQL LIKE without a regular expression engine. The pattern
// is cut at its % into segments; the first must match at the start, the
// last at the end, and each one between at its leftmost place after the
// one before (leftmost is never worse: % takes anything). A segment without
// _ is a plain substring search; _ takes one UTF-8 code point. \ escapes
// the next character, as Spark's default escape.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ember::sql::detail {

class LikePattern {
 public:
  explicit LikePattern(std::string_view pattern);

  bool matches(std::string_view s) const;

 private:
  struct Segment {
    std::string text;        ///< the characters, any byte where a _ stands
    std::vector<bool> any;   ///< per byte of text: whether a _ stands there
    bool wildcards = false;  ///< any _ at all; else a plain substring
  };

  /// Where `seg` ends when it starts at `at`, or npos when it does not match there.
  static size_t endAt(std::string_view s, size_t at, const Segment& seg);
  /// The end of `seg`'s leftmost match at or after `from`, or npos.
  static size_t findFrom(std::string_view s, size_t from, const Segment& seg);
  /// Whether `seg` matches a suffix of `s` that starts at or after `from`.
  static bool endsWith(std::string_view s, size_t from, const Segment& seg);

  std::vector<Segment> segments_;
};

}  // namespace ember::sql::detail

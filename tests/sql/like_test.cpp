// SQL LIKE's matcher against a regular expression built from the same
// pattern (% is .*, _ one code point, \ escapes), over patterns of every
// shape and strings with multi-byte characters.

#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "sql/expression/detail/like_pattern.hpp"

namespace ember::testing {
namespace {

/// The reference: LIKE as std::regex over code points (UTF-8 as in the strings below).
bool likeByRegex(const std::string& s, const std::string& pattern) {
  std::string re;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '%') {
      re += "(?:.|\\n)*";
    } else if (c == '_') {
      re +=
          "(?:[\\x00-\\x7f]|[\\xc0-\\xdf][\\x80-\\xbf]|[\\xe0-\\xef][\\x80-\\xbf]{2}|[\\xf0-\\xf7]["
          "\\x80-\\xbf]{3})";
    } else {
      const char lit = c == '\\' && i + 1 < pattern.size() ? pattern[++i] : c;
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", static_cast<unsigned char>(lit));
      re += hex;
    }
  }
  return std::regex_match(s, std::regex(re));
}

TEST(SqlLike, MatchesAsTheRegularExpressionOfItsPattern) {
  const std::vector<std::string> patterns = {"",
                                             "%",
                                             "%%",
                                             "a",
                                             "a%",
                                             "%a",
                                             "%a%",
                                             "_",
                                             "__",
                                             "a_c",
                                             "%b_%",
                                             "a%c",
                                             "a%b%c",
                                             "%special%requests%",
                                             "\\%",
                                             "a\\_c",
                                             "%\\\\%",
                                             "_%_",
                                             "%é%",
                                             "h_llo",
                                             "%o%o%",
                                             "PROMO%",
                                             "%BRASS",
                                             "forest%",
                                             "%Customer%Complaints%"};
  const std::vector<std::string> strings = {"",
                                            "a",
                                            "abc",
                                            "ac",
                                            "abbc",
                                            "a_c",
                                            "a%c",
                                            "%",
                                            "b",
                                            "hello",
                                            "héllo",
                                            "h€llo",
                                            "ooo",
                                            "abcabc",
                                            "xx special yy requests zz",
                                            "special requests",
                                            "requests special",
                                            "\\",
                                            "a\\c",
                                            "PROMO BRUSHED",
                                            "LARGE BRASS",
                                            "forest green",
                                            "Customer x Complaints",
                                            "Complaints Customer",
                                            "é"};
  for (const std::string& p : patterns) {
    const sql::detail::LikePattern like(p);
    for (const std::string& s : strings)
      EXPECT_EQ(like.matches(s), likeByRegex(s, p)) << "'" << s << "' LIKE '" << p << "'";
  }
}

}  // namespace
}  // namespace ember::testing

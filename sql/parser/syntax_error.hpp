#pragma once
// How a SQL text that does not parse is reported: Spark's ParseException
// layout, the statement's line with a caret under the offending text.

#include <cstddef>
#include <string>
#include <string_view>

namespace ember::sql {

/// Where `offset` is in `sql`: its line (from 1), the line's first
/// character, and its position in the line (from 0), as Spark counts them.
struct TextPosition {
  size_t line = 1;
  size_t lineStart = 0;
  size_t pos = 0;
};
TextPosition positionOf(std::string_view sql, size_t offset);

/// Throws ParseException: "[PARSE_SYNTAX_ERROR] Syntax error at or near
/// 'FROM': <detail>.(line 1, pos 7)", then the statement under "== SQL =="
/// with "-------^^^" under the `length` characters at `offset`. Lines count
/// from 1 and positions (columns) from 0, as Spark's.
[[noreturn]] void throwSyntaxError(std::string_view sql, size_t offset, size_t length,
                                   const std::string& detail);

}  // namespace ember::sql

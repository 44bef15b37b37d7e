#include "sql/parser/syntax_error.hpp"

#include <algorithm>

#include "sql/errors.hpp"

namespace ember::sql {

TextPosition positionOf(std::string_view sql, size_t offset) {
  offset = std::min(offset, sql.size());
  const size_t before = sql.rfind('\n', offset == 0 ? 0 : offset - 1);
  const size_t begin = before == std::string_view::npos || offset == 0 ? 0 : before + 1;
  const size_t line = 1 + static_cast<size_t>(std::count(sql.begin(), sql.begin() + begin, '\n'));
  return {line, begin, offset - begin};
}

void throwSyntaxError(std::string_view sql, size_t offset, size_t length,
                      const std::string& detail) {
  offset = std::min(offset, sql.size());
  const auto [line, begin, pos] = positionOf(sql, offset);
  const size_t lineEnd = std::min(sql.find('\n', offset), sql.size());
  const std::string_view near = sql.substr(offset, length);
  std::string message = "[PARSE_SYNTAX_ERROR] Syntax error at or near ";
  message += near.empty() ? std::string("end of input") : "'" + std::string(near) + "'";
  if (!detail.empty()) message += ": " + detail;
  message += ".(line " + std::to_string(line) + ", pos " + std::to_string(pos) + ")\n\n== SQL ==\n";
  message += std::string(sql.substr(begin, lineEnd - begin)) + "\n";
  message += std::string(pos, '-') + std::string(std::max<size_t>(1, near.size()), '^') + "\n";
  throw ParseException(message);
}

}  // namespace ember::sql

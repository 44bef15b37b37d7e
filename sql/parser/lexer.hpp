#pragma once
// Lexer: SQL text into tokens, as Spark's lexer reads it: case-insensitive
// keywords, `backquoted` identifiers, 'single' or "double" quoted strings
// with backslash escapes, -- and /* */ comments.

#include <string_view>
#include <vector>

#include "sql/parser/token.hpp"

namespace ember::sql {

/// The tokens of `sql`, ending with a kEnd token at its end; throws
/// ParseException (line, position and caret) for an unterminated string,
/// identifier or comment, or a character no token starts with.
std::vector<Token> tokenize(std::string_view sql);

}  // namespace ember::sql

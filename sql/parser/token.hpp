#pragma once
// Token: one lexical unit of SQL text, with where it starts, for errors.

#include <cstddef>
#include <cstdint>
#include <string>

namespace ember::sql {

enum class TokenKind : uint8_t {
  kWord,    ///< an identifier or a keyword, as written (keywords match case-insensitively)
  kQuoted,  ///< a `backquoted` identifier, never a keyword; `text` without the quotes
  kString,  ///< a 'string' or "string" literal; `text` with its escapes resolved
  kNumber,  ///< a numeric literal as written: 42, 42L, 1.5, 1e3, 2.5BD
  kSymbol,  ///< an operator or punctuation: ( ) , . ; + - * / % = == != <> < <= > >= <=> || !
  kEnd,     ///< after the last token
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;
  size_t offset = 0;  ///< of its first character in the statement
  size_t length = 0;  ///< of its text as written

  bool isSymbol(const char* s) const { return kind == TokenKind::kSymbol && text == s; }
  /// A keyword (or unquoted identifier) `upper`, given in upper case.
  bool isWord(const char* upper) const;
};

}  // namespace ember::sql

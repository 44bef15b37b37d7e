#include "sql/parser/lexer.hpp"

#include <strings.h>
#include <cctype>
#include <cstring>

#include "sql/parser/syntax_error.hpp"

namespace ember::sql {

bool Token::isWord(const char* upper) const {
  return kind == TokenKind::kWord && strcasecmp(text.c_str(), upper) == 0;
}

namespace {

bool isIdentifierStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool isIdentifierChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool isDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)); }

/// Reads one token at a time from the statement.
class Lexer {
 public:
  explicit Lexer(std::string_view sql) : sql_(sql) {}

  std::vector<Token> run() {
    std::vector<Token> tokens;
    for (skipSpaceAndComments(); at_ < sql_.size(); skipSpaceAndComments())
      tokens.push_back(next());
    tokens.push_back(Token{TokenKind::kEnd, "", sql_.size(), 0});
    return tokens;
  }

 private:
  char peek(size_t ahead = 0) const { return at_ + ahead < sql_.size() ? sql_[at_ + ahead] : '\0'; }

  void skipSpaceAndComments() {
    for (;;) {
      while (at_ < sql_.size() && std::isspace(static_cast<unsigned char>(sql_[at_]))) ++at_;
      if (peek() == '-' && peek(1) == '-') {
        while (at_ < sql_.size() && sql_[at_] != '\n') ++at_;
      } else if (peek() == '/' && peek(1) == '*') {
        const size_t end = sql_.find("*/", at_ + 2);
        if (end == std::string_view::npos)
          throwSyntaxError(sql_, at_, 2, "the comment is not closed with */");
        at_ = end + 2;
      } else {
        return;
      }
    }
  }

  Token next() {
    const char c = peek();
    if (isIdentifierStart(c)) return word();
    if (isDigit(c) || (c == '.' && isDigit(peek(1)))) return number();
    if (c == '\'' || c == '"') return quoted(TokenKind::kString, c);
    if (c == '`') return quoted(TokenKind::kQuoted, c);
    return symbol();
  }

  Token make(TokenKind kind, size_t start, std::string text) const {
    return Token{kind, std::move(text), start, at_ - start};
  }

  Token word() {
    const size_t start = at_;
    while (isIdentifierChar(peek())) ++at_;
    return make(TokenKind::kWord, start, std::string(sql_.substr(start, at_ - start)));
  }

  /// Digits, a fraction, an exponent and Spark's type suffixes (L, S, Y,
  /// D, F, BD); a suffix glued to an identifier ("1abc") is an error.
  Token number() {
    const size_t start = at_;
    while (isDigit(peek())) ++at_;
    if (peek() == '.' && !isIdentifierStart(peek(1))) {
      ++at_;
      while (isDigit(peek())) ++at_;
    }
    if ((peek() == 'e' || peek() == 'E') &&
        (isDigit(peek(1)) || ((peek(1) == '+' || peek(1) == '-') && isDigit(peek(2))))) {
      at_ += 2;
      while (isDigit(peek())) ++at_;
    }
    const size_t suffix = at_;
    while (isIdentifierChar(peek())) ++at_;
    const std::string_view s = sql_.substr(suffix, at_ - suffix);
    if (!s.empty() && strcasecmp(std::string(s).c_str(), "bd") != 0 &&
        (s.size() != 1 || !std::strchr("lLsSyYdDfF", s[0])))
      throwSyntaxError(sql_, start, at_ - start, "not a number");
    return make(TokenKind::kNumber, start, std::string(sql_.substr(start, at_ - start)));
  }

  /// A string or backquoted identifier; a doubled quote stands for itself,
  /// and in strings a backslash escapes the next character.
  Token quoted(TokenKind kind, char quote) {
    const size_t start = at_++;
    std::string text;
    for (;;) {
      if (at_ >= sql_.size())
        throwSyntaxError(sql_, start, 1,
                         kind == TokenKind::kString ? "the string is not closed"
                                                    : "the quoted identifier is not closed");
      const char c = sql_[at_++];
      if (c == quote) {
        if (peek() != quote) break;
        ++at_;
        text += quote;
      } else if (c == '\\' && kind == TokenKind::kString && at_ < sql_.size()) {
        text += unescape(sql_[at_++]);
      } else {
        text += c;
      }
    }
    return make(kind, start, std::move(text));
  }

  static char unescape(char c) {
    switch (c) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case '0':
        return '\0';
      default:
        return c;  // \' \" \\ and any other character stand for themselves
    }
  }

  Token symbol() {
    static constexpr const char* kLong[] = {"<=>", "==", "!=", "<>", "<=", ">=", "||", "&&"};
    const size_t start = at_;
    for (const char* s : kLong) {
      if (sql_.substr(at_).starts_with(s)) {
        at_ += std::strlen(s);
        return make(TokenKind::kSymbol, start, s);
      }
    }
    if (!std::strchr("(),.;+-*/%=<>!", peek()) || peek() == '\0')
      throwSyntaxError(sql_, at_, 1, "unexpected character");
    ++at_;
    return make(TokenKind::kSymbol, start, std::string(1, sql_[start]));
  }

  std::string_view sql_;
  size_t at_ = 0;
};

}  // namespace

std::vector<Token> tokenize(std::string_view sql) { return Lexer(sql).run(); }

}  // namespace ember::sql

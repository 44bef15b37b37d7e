#pragma once
// Parser: Spark SQL text into a Statement (or, for F::expr and selectExpr,
// one expression), by recursive descent over the lexer's tokens, with
// Spark's operator precedence (lowest first): OR, AND, NOT, comparisons and
// predicates (BETWEEN, IN, LIKE, IS NULL), || and + -, * / %, unary - +.

#include <string_view>

#include "sql/expression/expression.hpp"
#include "sql/parser/statement.hpp"

namespace ember::sql {

/// One statement (a trailing ';' allowed); throws ParseException naming the
/// line and position of the first token it cannot take, with a caret.
Statement parseStatement(std::string_view sql);

/// One expression, aliased or not ("amount * 2 AS double_amount"), as
/// selectExpr and F::expr take it.
ExprPtr parseExpression(std::string_view sql);

}  // namespace ember::sql

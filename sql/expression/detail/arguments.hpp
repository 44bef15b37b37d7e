#pragma once
// How scalar functions check and convert their arguments at analysis,
// shared by the function families (function_registry.cpp,
// array_functions.cpp), so that their errors read alike.

#include <string>

#include "sql/expression/expression.hpp"

namespace ember::sql::detail {

/// Throws Spark's data type mismatch for argument `arg` of call `e`.
[[noreturn]] void wrongType(const Expr& e, size_t arg, const std::string& wanted);
/// Throws unless `e` has lo to hi arguments.
void arity(const Expr& e, size_t lo, size_t hi);
/// Argument i as STRING: strings as they are, other atomic types cast.
void stringArg(Expr& e, size_t i);
/// Argument i as INT, from any integral type.
void intArg(Expr& e, size_t i);
/// Argument i's value, which must be an INT literal.
int literalInt(const Expr& e, size_t i);
/// A constant pattern (argument 1) that is no regular expression fails at
/// analysis, before any job, rather than in every task.
void checkRegex(const Expr& e);

}  // namespace ember::sql::detail

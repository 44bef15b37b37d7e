#pragma once
// Column: an expression over a DataFrame's columns, as pyspark's Column.

#include <concepts>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include "sql/expression/expression.hpp"

namespace ember {

/// A C++ value that F::lit turns into a literal column: bool, integers
/// (int is INT, longer ones BIGINT), floating point (DOUBLE), strings.
template <class T>
concept LiteralValue =
    std::is_arithmetic_v<std::remove_cvref_t<T>> || std::is_convertible_v<const T&, std::string>;

class Column;
class WindowSpec;
/// What the variadic forms take, as PySpark: a Column or a column's name.
template <class C>
concept ColumnOrName =
    std::is_same_v<std::remove_cvref_t<C>, Column> || std::is_convertible_v<const C&, std::string>;

/// An unevaluated column expression: F::col("amount") * 2 > 10. Built
/// freely, resolved against a DataFrame's schema when the DataFrame uses
/// it (an unknown name throws AnalysisException then). A cheap value.
class Column {
 public:
  explicit Column(sql::ExprPtr expr) : expr_(std::move(expr)) {}

  const sql::ExprPtr& expr() const { return expr_; }
  /// How Spark prints the expression: "(amount * 2)".
  std::string toString() const { return expr_->toString(); }

  Column alias(const std::string& name) const;
  Column as(const std::string& name) const { return alias(name); }
  Column name(const std::string& name) const { return alias(name); }
  /// To a type by name ("bigint", "decimal(10,2)", "date") or DataType.
  Column cast(const std::string& type) const;
  Column cast(DataType type) const;

  Column isNull() const;
  Column isNotNull() const;
  /// SQL's IN: true when equal to one of `values`, null when not and some
  /// value (or this) is null.
  Column isin(const std::vector<Column>& values) const;
  template <LiteralValue... Ts>
  Column isin(const Ts&... values) const {
    return isin(std::vector<Column>{Column(litExpr(values))...});
  }
  Column between(const Column& low, const Column& high) const;
  template <LiteralValue A, LiteralValue B>
  Column between(const A& low, const B& high) const {
    return between(Column(litExpr(low)), Column(litExpr(high)));
  }
  /// SQL LIKE: % any run, _ one character, \ escapes.
  Column like(const std::string& pattern) const;
  Column rlike(const std::string& regex) const;
  Column startswith(const std::string& prefix) const;
  Column endswith(const std::string& suffix) const;
  Column contains(const std::string& part) const;
  /// `length` characters from 1-based position `pos` (SQL's SUBSTRING).
  Column substr(int pos, int length) const;
  Column eqNullSafe(const Column& other) const;

  /// CASE WHEN chains: F::when(c1, v1).when(c2, v2).otherwise(v3).
  Column when(const Column& condition, const Column& value) const;
  Column otherwise(const Column& value) const;
  template <LiteralValue T>
  Column when(const Column& condition, const T& value) const {
    return when(condition, Column(litExpr(value)));
  }
  template <LiteralValue T>
  Column otherwise(const T& value) const {
    return otherwise(Column(litExpr(value)));
  }

  Column asc() const;
  Column desc() const;
  Column asc_nulls_first() const;
  Column asc_nulls_last() const;
  Column desc_nulls_first() const;
  Column desc_nulls_last() const;

  /// This aggregate, ranking or offset function computed over a window
  /// (`F::sum("x").over(Window::partitionBy("k").orderBy("t"))`); over()
  /// is over every row as one partition. Only in select() and withColumn().
  Column over(const WindowSpec& window) const;
  Column over() const;

  /// For F::lit and the operators: a literal expression of a C++ value.
  template <LiteralValue T>
  static sql::ExprPtr litExpr(const T& v);

 private:
  sql::ExprPtr expr_;
};

template <LiteralValue T>
sql::ExprPtr Column::litExpr(const T& v) {
  using U = std::remove_cvref_t<T>;
  if constexpr (std::is_same_v<U, bool>) {
    return sql::makeLiteral(sql::Value::boolean(v));
  } else if constexpr (std::is_floating_point_v<U>) {
    return sql::makeLiteral(sql::Value::float64(static_cast<double>(v)));
  } else if constexpr (std::is_integral_v<U> && sizeof(U) <= 4 && std::is_signed_v<U>) {
    return sql::makeLiteral(sql::Value::integer(static_cast<int32_t>(v)));
  } else if constexpr (std::is_integral_v<U>) {
    return sql::makeLiteral(sql::Value::bigint(static_cast<int64_t>(v)));
  } else {
    return sql::makeLiteral(sql::Value::string(std::string(v)));
  }
}

namespace detail {

inline const Column& asColumn(const Column& c) { return c; }
template <LiteralValue T>
Column asColumn(const T& v) {
  return Column(Column::litExpr(v));
}
template <class T>
concept ColumnOperand = std::is_same_v<std::remove_cvref_t<T>, Column> || LiteralValue<T>;
template <class A, class B>
concept ColumnOperands = ColumnOperand<A> && ColumnOperand<B> &&
    (std::is_same_v<std::remove_cvref_t<A>, Column> ||
     std::is_same_v<std::remove_cvref_t<B>, Column>);

Column binary(sql::Op op, const Column& a, const Column& b);

}  // namespace detail

// Operators between columns, or a column and a C++ value (a literal).
#define EMBER_COLUMN_OPERATOR(symbol, op)                                                \
  template <class A, class B>                                                            \
  requires detail::ColumnOperands<A, B> Column operator symbol(const A& a, const B& b) { \
    return detail::binary(op, detail::asColumn(a), detail::asColumn(b));                 \
  }
EMBER_COLUMN_OPERATOR(+, sql::Op::kAdd)
EMBER_COLUMN_OPERATOR(-, sql::Op::kSub)
EMBER_COLUMN_OPERATOR(*, sql::Op::kMul)
EMBER_COLUMN_OPERATOR(/, sql::Op::kDiv)
EMBER_COLUMN_OPERATOR(%, sql::Op::kMod)
EMBER_COLUMN_OPERATOR(==, sql::Op::kEq)
EMBER_COLUMN_OPERATOR(!=, sql::Op::kNe)
EMBER_COLUMN_OPERATOR(<, sql::Op::kLt)
EMBER_COLUMN_OPERATOR(<=, sql::Op::kLe)
EMBER_COLUMN_OPERATOR(>, sql::Op::kGt)
EMBER_COLUMN_OPERATOR(>=, sql::Op::kGe)
EMBER_COLUMN_OPERATOR(&&, sql::Op::kAnd)
EMBER_COLUMN_OPERATOR(||, sql::Op::kOr)
#undef EMBER_COLUMN_OPERATOR

Column operator!(const Column& c);
Column operator-(const Column& c);

}  // namespace ember

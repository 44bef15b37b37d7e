#pragma once
// ember::functions: pyspark.sql.functions, used as
// `namespace F = ember::functions;`.

#include <string>
#include <vector>

#include "sql/column.hpp"

namespace ember {
class DataFrame;
}

namespace ember::functions {

/// `df` marked to be broadcast in joins (df.hint("broadcast")).
DataFrame broadcast(const DataFrame& df);

/// The column named `name` ("amount", or "t.amount" after an alias).
Column col(const std::string& name);
/// A column given as SQL text: expr("amount * 2 > 10"), expr("upper(name) AS n").
Column expr(const std::string& sql);
Column column(const std::string& name);
/// A name as col(name), a Column as itself: the variadic forms' arguments.
inline Column asColumn(const Column& c) { return c; }
inline Column asColumn(const std::string& name) { return col(name); }
/// A literal: F::lit(1) is INT, F::lit(int64_t{1}) BIGINT, F::lit(1.5)
/// DOUBLE, F::lit("x") STRING, F::lit(true) BOOLEAN.
template <LiteralValue T>
Column lit(const T& v) {
  return Column(Column::litExpr(v));
}
inline Column lit(const Column& c) { return c; }
/// A typed NULL literal.
Column nullLiteral(DataType type);

/// CASE WHEN condition THEN value; chain .when(...) and .otherwise(...).
Column when(const Column& condition, const Column& value);
template <LiteralValue T>
Column when(const Column& condition, const T& value) {
  return when(condition, lit(value));
}

/// The first argument that is not null.
Column coalesce(const std::vector<Column>& columns);
template <class... Cs>
Column coalesce(const Column& first, const Cs&... rest) {
  return coalesce(std::vector<Column>{first, rest...});
}

// ---- Strings ----
Column concat(const std::vector<Column>& columns);
template <class... Cs>
Column concat(const Column& first, const Cs&... rest) {
  return concat(std::vector<Column>{first, rest...});
}
Column lower(const Column& c);
Column upper(const Column& c);
Column trim(const Column& c);
Column ltrim(const Column& c);
Column rtrim(const Column& c);
/// Characters (UTF-8 code points) of a string.
Column length(const Column& c);
/// `len` characters from 1-based `pos` (negative counts from the end).
Column substring(const Column& c, int pos, int len);
/// Every match of the regular expression `pattern` (ECMAScript syntax)
/// replaced by `replacement`, in which $1.. are the pattern's groups.
Column regexp_replace(const Column& c, const std::string& pattern, const std::string& replacement);
Column regexp_replace(const Column& c, const Column& pattern, const Column& replacement);

// ---- Arrays ----
/// ARRAY<STRING> of the pieces of `str` around matches of the regular
/// expression `pattern` (ECMAScript syntax; a one-character literal is
/// split on without one). A positive `limit` makes at most that many
/// pieces, the last holding the rest; otherwise every match splits and
/// trailing empty pieces stay, as Spark's split (limit -1).
Column split(const Column& str, const std::string& pattern, int limit = -1);
/// Elements of an array; -1 for a null array (Spark's default,
/// spark.sql.legacy.sizeOfNull, outside ANSI mode).
Column size(const Column& c);
/// Whether the array holds `value`: null for a null array or value, and
/// when it does not but holds a null.
Column array_contains(const Column& c, const Column& value);
template <LiteralValue T>
Column array_contains(const Column& c, const T& value) {
  return array_contains(c, lit(value));
}
/// Element `index` (1-based; negative counts from the end), null when out
/// of range; index 0 is an error.
Column element_at(const Column& c, const Column& index);
Column element_at(const Column& c, int index);
/// A row for each element of the array (none for an empty or null one),
/// in a column named "col" unless aliased. Only in select() or
/// withColumn(), one a select, as Spark's generators.
Column explode(const Column& c);
/// explode, but a null or empty array gives one row whose element is null.
Column explode_outer(const Column& c);

// ---- Numbers ----
Column abs(const Column& c);
/// Whether a number is NaN; false for null.
Column isnan(const Column& c);
Column sqrt(const Column& c);
/// Rounded half away from zero to `scale` decimal places, as Spark's round.
Column round(const Column& c, int scale = 0);

// ---- Dates ----
Column year(const Column& c);
Column month(const Column& c);
Column dayofmonth(const Column& c);
Column to_date(const Column& c);
Column date_add(const Column& c, int days);
Column date_sub(const Column& c, int days);
/// Days from `start` to `end`.
Column datediff(const Column& end, const Column& start);

// ---- Aggregates (for groupBy(...).agg and DataFrame::agg) ----
Column sum(const Column& c);
Column sum(const std::string& name);
Column avg(const Column& c);
Column avg(const std::string& name);
Column mean(const Column& c);
Column mean(const std::string& name);
Column min(const Column& c);
Column min(const std::string& name);
Column max(const Column& c);
Column max(const std::string& name);
/// Non-null values; count("*") counts rows.
Column count(const Column& c);
Column count(const std::string& name);
/// Distinct values of `columns` taken together, rows with a null in any
/// of them not counted (COUNT(DISTINCT a, b)).
Column countDistinct(const std::vector<Column>& columns);
template <ColumnOrName... Cs>
Column countDistinct(const Cs&... columns) {
  return countDistinct(std::vector<Column>{asColumn(columns)...});
}
template <ColumnOrName... Cs>
Column count_distinct(const Cs&... columns) {
  return countDistinct(columns...);
}
/// The sum of the distinct non-null values.
Column sum_distinct(const Column& c);
/// The group's first value, null or not (Spark's first, ignorenulls false).
Column first(const Column& c);
Column first(const std::string& name);
/// The group's non-null values as an ARRAY, in the order met (which
/// depends on partitioning, as in Spark); [] when it has none.
Column collect_list(const Column& c);
Column collect_list(const std::string& name);
/// The group's distinct non-null values as an ARRAY, in no set order.
Column collect_set(const Column& c);
Column collect_set(const std::string& name);
/// Sample standard deviation (stddev_samp); null for fewer than 2 values.
Column stddev(const Column& c);
Column stddev(const std::string& name);

// ---- Window functions: only over a window, f.over(Window::...) ----
/// 1, 2, 3, ... in the window's order.
Column row_number();
/// 1 + the rows before the row's peers (ties share a rank; gaps after them).
Column rank();
/// 1 + the distinct order keys before the row's (no gaps).
Column dense_rank();
/// (rank - 1) / (rows - 1) of the partition; 0 for a one-row partition.
Column percent_rank();
/// The fraction of the partition's rows up to the row's last peer.
Column cume_dist();
/// The row's bucket (1..n) when the partition is cut into n buckets as
/// even as can be, the first ones a row larger.
Column ntile(int n);
/// The value `offset` rows before (lag) or after (lead) in the partition,
/// or `defaultValue` (null unless given) where there is no such row.
Column lag(const Column& c, int offset = 1,
           const Column& defaultValue = nullLiteral(DataType::null()));
Column lag(const std::string& name, int offset = 1,
           const Column& defaultValue = nullLiteral(DataType::null()));
template <LiteralValue T>
Column lag(const Column& c, int offset, const T& defaultValue) {
  return lag(c, offset, lit(defaultValue));
}
template <LiteralValue T>
Column lag(const std::string& name, int offset, const T& defaultValue) {
  return lag(col(name), offset, lit(defaultValue));
}
Column lead(const Column& c, int offset = 1,
            const Column& defaultValue = nullLiteral(DataType::null()));
Column lead(const std::string& name, int offset = 1,
            const Column& defaultValue = nullLiteral(DataType::null()));
template <LiteralValue T>
Column lead(const Column& c, int offset, const T& defaultValue) {
  return lead(c, offset, lit(defaultValue));
}
template <LiteralValue T>
Column lead(const std::string& name, int offset, const T& defaultValue) {
  return lead(col(name), offset, lit(defaultValue));
}
/// The value of the frame's n-th row (1-based), null when the frame is shorter.
Column nth_value(const Column& c, int n);
Column nth_value(const std::string& name, int n);
/// The value of the frame's last row, null or not (over a window only, so far).
Column last(const Column& c);
Column last(const std::string& name);
/// SQL's names of first and last over a window.
Column first_value(const Column& c);
Column first_value(const std::string& name);
Column last_value(const Column& c);
Column last_value(const std::string& name);

// ---- Sort orders by name ----
Column asc(const std::string& name);
Column desc(const std::string& name);

}  // namespace ember::functions

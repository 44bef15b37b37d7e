#include "sql/functions.hpp"

#include "sql/data_frame.hpp"
#include "sql/parser/parser.hpp"

namespace ember::functions {
namespace {

Column call(const char* name, std::vector<sql::ExprPtr> args) {
  return Column(sql::makeFunction(name, std::move(args)));
}

Column callOn(const char* name, const std::vector<Column>& columns) {
  std::vector<sql::ExprPtr> args;
  args.reserve(columns.size());
  for (const Column& c : columns) args.push_back(c.expr());
  return call(name, std::move(args));
}

}  // namespace

Column col(const std::string& name) { return Column(sql::makeColumn(name)); }
Column expr(const std::string& sql) { return Column(sql::parseExpression(sql)); }
Column column(const std::string& name) { return col(name); }
Column nullLiteral(DataType type) { return Column(sql::makeLiteral(sql::Value::null(type))); }

Column when(const Column& condition, const Column& value) {
  return Column(sql::makeCaseWhen({condition.expr(), value.expr()}));
}

Column coalesce(const std::vector<Column>& columns) { return callOn("coalesce", columns); }
Column concat(const std::vector<Column>& columns) { return callOn("concat", columns); }
Column lower(const Column& c) { return call("lower", {c.expr()}); }
Column upper(const Column& c) { return call("upper", {c.expr()}); }
Column trim(const Column& c) { return call("trim", {c.expr()}); }
Column ltrim(const Column& c) { return call("ltrim", {c.expr()}); }
Column rtrim(const Column& c) { return call("rtrim", {c.expr()}); }
Column length(const Column& c) { return call("length", {c.expr()}); }
Column substring(const Column& c, int pos, int len) {
  return call("substring", {c.expr(), Column::litExpr(pos), Column::litExpr(len)});
}
Column regexp_replace(const Column& c, const std::string& pattern, const std::string& replacement) {
  return regexp_replace(c, lit(pattern), lit(replacement));
}
Column regexp_replace(const Column& c, const Column& pattern, const Column& replacement) {
  return call("regexp_replace", {c.expr(), pattern.expr(), replacement.expr()});
}

Column split(const Column& str, const std::string& pattern, int limit) {
  return call("split", {str.expr(), Column::litExpr(pattern), Column::litExpr(limit)});
}
Column size(const Column& c) { return call("size", {c.expr()}); }
Column array_contains(const Column& c, const Column& value) {
  return call("array_contains", {c.expr(), value.expr()});
}
Column element_at(const Column& c, const Column& index) {
  return call("element_at", {c.expr(), index.expr()});
}
Column element_at(const Column& c, int index) { return element_at(c, lit(index)); }
Column explode(const Column& c) { return Column(sql::makeGenerator("explode", c.expr())); }
Column explode_outer(const Column& c) {
  return Column(sql::makeGenerator("explode_outer", c.expr()));
}

Column abs(const Column& c) { return call("abs", {c.expr()}); }
Column isnan(const Column& c) { return call("isnan", {c.expr()}); }
Column sqrt(const Column& c) { return call("sqrt", {c.expr()}); }
Column round(const Column& c, int scale) {
  return call("round", {c.expr(), Column::litExpr(scale)});
}

Column year(const Column& c) { return call("year", {c.expr()}); }
Column month(const Column& c) { return call("month", {c.expr()}); }
Column dayofmonth(const Column& c) { return call("dayofmonth", {c.expr()}); }
Column to_date(const Column& c) { return call("to_date", {c.expr()}); }
Column date_add(const Column& c, int days) {
  return call("date_add", {c.expr(), Column::litExpr(days)});
}
Column date_sub(const Column& c, int days) {
  return call("date_sub", {c.expr(), Column::litExpr(days)});
}
Column datediff(const Column& end, const Column& start) {
  return call("datediff", {end.expr(), start.expr()});
}

#define EMBER_AGGREGATE(fn)                                                          \
  Column fn(const Column& c) { return Column(sql::makeAggregate(#fn, {c.expr()})); } \
  Column fn(const std::string& name) { return fn(col(name)); }
EMBER_AGGREGATE(sum)
EMBER_AGGREGATE(avg)
EMBER_AGGREGATE(mean)
EMBER_AGGREGATE(min)
EMBER_AGGREGATE(max)
EMBER_AGGREGATE(count)
EMBER_AGGREGATE(first)
EMBER_AGGREGATE(stddev)
EMBER_AGGREGATE(collect_list)
EMBER_AGGREGATE(collect_set)
EMBER_AGGREGATE(last)
EMBER_AGGREGATE(first_value)
EMBER_AGGREGATE(last_value)
#undef EMBER_AGGREGATE

Column countDistinct(const std::vector<Column>& columns) {
  std::vector<sql::ExprPtr> args;
  for (const Column& c : columns) args.push_back(c.expr());
  return Column(sql::makeAggregate("count", std::move(args), true));
}

Column sum_distinct(const Column& c) { return Column(sql::makeAggregate("sum", {c.expr()}, true)); }

Column row_number() { return Column(sql::makeWindowFunction("row_number", {})); }
Column rank() { return Column(sql::makeWindowFunction("rank", {})); }
Column dense_rank() { return Column(sql::makeWindowFunction("dense_rank", {})); }
Column percent_rank() { return Column(sql::makeWindowFunction("percent_rank", {})); }
Column cume_dist() { return Column(sql::makeWindowFunction("cume_dist", {})); }
Column ntile(int n) { return Column(sql::makeWindowFunction("ntile", {Column::litExpr(n)})); }

Column lag(const Column& c, int offset, const Column& defaultValue) {
  return Column(
      sql::makeWindowFunction("lag", {c.expr(), Column::litExpr(offset), defaultValue.expr()}));
}
Column lag(const std::string& name, int offset, const Column& defaultValue) {
  return lag(col(name), offset, defaultValue);
}
Column lead(const Column& c, int offset, const Column& defaultValue) {
  return Column(
      sql::makeWindowFunction("lead", {c.expr(), Column::litExpr(offset), defaultValue.expr()}));
}
Column lead(const std::string& name, int offset, const Column& defaultValue) {
  return lead(col(name), offset, defaultValue);
}
Column nth_value(const Column& c, int n) {
  return Column(sql::makeWindowFunction("nth_value", {c.expr(), Column::litExpr(n)}));
}
Column nth_value(const std::string& name, int n) { return nth_value(col(name), n); }

Column asc(const std::string& name) { return col(name).asc(); }
Column desc(const std::string& name) { return col(name).desc(); }

}  // namespace ember::functions

namespace ember::functions {

DataFrame broadcast(const DataFrame& df) { return df.hint("broadcast"); }

}  // namespace ember::functions

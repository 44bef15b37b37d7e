#include "sql/execution/aggregate_function.hpp"

#include <algorithm>

#include "sql/errors.hpp"
#include "sql/plan/expression_resolver.hpp"

namespace ember::sql {
namespace {

/// The type sums are kept in: BIGINT for integers, DOUBLE, or a decimal
/// ten digits wider (Spark's sum of DECIMAL(p,s) is DECIMAL(p+10,s)).
DataType sumType(DataType t) {
  if (t.isIntegral()) return DataType::bigint();
  if (t.id() == TypeId::kDecimal)
    return DataType::decimal(std::min(DataType::kMaxPrecision, t.precision() + 10), t.scale());
  return DataType::float64();
}

/// A numeric aggregate's argument: numbers as they are, strings read as
/// DOUBLE (as Spark's implicit casts do), anything else an error.
void requireNumeric(const Expr& call, AggregateFunction& f) {
  if (f.input.id() == TypeId::kString || f.input.id() == TypeId::kNull) {
    f.arg = castTo(f.arg, DataType::float64());
    f.input = DataType::float64();
  }
  const DataType t = f.input;
  if (!t.isNumeric())
    throw AnalysisException("cannot resolve '" + call.toString() +
                            "' due to data type mismatch: function " + call.name +
                            " requires numeric types, not " + t.sqlName());
}

}  // namespace

std::vector<DataType> AggregateFunction::stateTypes() const {
  switch (kind) {
    case AggKind::kCount:
    case AggKind::kCountStar:
      return {DataType::bigint()};
    case AggKind::kSum:
      return {result};
    case AggKind::kAvg:
      return {input.id() == TypeId::kDecimal
                  ? DataType::decimal(DataType::kMaxPrecision, input.scale())
                  : DataType::float64(),
              DataType::bigint()};
    case AggKind::kMin:
    case AggKind::kMax:
      return {input};
    case AggKind::kFirst:
      return {input, DataType::boolean()};
    case AggKind::kStddev:
      return {DataType::float64(), DataType::float64(), DataType::float64()};
    case AggKind::kCollectList:
    case AggKind::kCollectSet:
      return {result};  // the values so far
  }
  return {};
}

AggregateFunction aggregateFunctionOf(const Expr& call) {
  AggregateFunction f;
  const std::string& n = call.name;
  if (n == "count" && call.children.empty()) {
    f.kind = AggKind::kCountStar;
    f.result = DataType::bigint();
    return f;
  }
  // count(DISTINCT a, b) counts tuples (rewritten before it runs).
  if (call.children.size() != 1 && !(n == "count" && call.distinct && !call.children.empty()))
    throw AnalysisException("function " + n + " takes one argument: " + call.toString());
  f.arg = call.children[0];
  f.input = f.arg->type;
  if (f.input.isArray() && n != "count" && n != "collect_list" && n != "collect_set")
    throw AnalysisException("cannot resolve '" + call.toString() +
                            "' due to data type mismatch: ember's " + n +
                            " does not take arrays yet, and '" + f.arg->toString() + "' is of " +
                            f.input.sqlName() + " type");
  if (n == "count") {
    f.kind = AggKind::kCount;
    f.result = DataType::bigint();
  } else if (n == "sum") {
    requireNumeric(call, f);
    f.kind = AggKind::kSum;
    f.result = sumType(f.input);
  } else if (n == "avg" || n == "mean") {
    requireNumeric(call, f);
    f.kind = AggKind::kAvg;
    f.result = f.input.id() == TypeId::kDecimal
                   ? DataType::decimal(std::min(DataType::kMaxPrecision, f.input.precision() + 4),
                                       std::min(DataType::kMaxPrecision, f.input.scale() + 4))
                   : DataType::float64();
  } else if (n == "min" || n == "max") {
    f.kind = n == "min" ? AggKind::kMin : AggKind::kMax;
    f.result = f.input;
  } else if (n == "first" || n == "first_value") {
    f.kind = AggKind::kFirst;
    f.result = f.input;
  } else if (n == "collect_list" || n == "collect_set") {
    f.kind = n == "collect_list" ? AggKind::kCollectList : AggKind::kCollectSet;
    f.result = DataType::array(f.input);  // an array of arrays throws
  } else if (n == "stddev" || n == "stddev_samp") {
    requireNumeric(call, f);
    f.kind = AggKind::kStddev;
    f.result = DataType::float64();
  } else {
    throw AnalysisException("[UNRESOLVED_ROUTINE] Cannot resolve aggregate function `" + n + "`");
  }
  return f;
}

ExprPtr resolvedAggregate(const ExprPtr& call) {
  auto resolved = std::make_shared<Expr>(*call);
  const AggregateFunction f = aggregateFunctionOf(*resolved);
  resolved->type = f.result;
  resolved->resolved = true;
  // A group without values collects [] (as count counts 0), not null.
  resolved->nullable = f.kind != AggKind::kCount && f.kind != AggKind::kCountStar && !f.collects();
  return resolved;
}

bool isAggregateTree(const Expr& e) {
  if (e.kind == ExprKind::kAggregate) return true;
  for (const ExprPtr& c : e.children)
    if (isAggregateTree(*c)) return true;
  return false;
}

}  // namespace ember::sql

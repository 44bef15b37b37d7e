#include "sql/plan/expression_resolver.hpp"

#include <strings.h>
#include <algorithm>

#include "sql/errors.hpp"
#include "sql/expression/array_functions.hpp"
#include "sql/expression/cast.hpp"
#include "sql/expression/function_registry.hpp"
#include "sql/types/numeric_rank.hpp"

namespace ember::sql {
namespace {

size_t editDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                        std::tolower(static_cast<unsigned char>(b[j - 1]));
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

std::shared_ptr<Expr> copyOf(const Expr& e) { return std::make_shared<Expr>(e); }

/// The decimal both decimals (or integers as decimals) widen to.
DataType widerDecimal(DataType a, DataType b) {
  a = decimalFor(a);
  b = decimalFor(b);
  const int scale = std::max(a.scale(), b.scale());
  const int whole = std::max(a.precision() - a.scale(), b.precision() - b.scale());
  return DataType::decimal(std::min(DataType::kMaxPrecision, whole + scale), scale);
}

DataType widerNumeric(DataType a, DataType b) {
  if (a == b) return a;
  if (a.id() == TypeId::kDouble || b.id() == TypeId::kDouble) return DataType::float64();
  if (a.id() == TypeId::kDecimal || b.id() == TypeId::kDecimal) return widerDecimal(a, b);
  return numericRank(a) >= numericRank(b) ? a : b;
}

std::string mismatch(const Expr& e, const std::string& why) {
  return "cannot resolve '" + e.toString() + "' due to data type mismatch: " + why;
}

/// Spark's result type of decimal arithmetic (DecimalPrecision), capped at
/// 38 digits keeping at least 6 of scale, as Spark does by default.
DataType decimalResult(Op op, DataType a, DataType b) {
  const int p1 = a.precision(), s1 = a.scale(), p2 = b.precision(), s2 = b.scale();
  int p = 0, s = 0;
  switch (op) {
    case Op::kAdd:
    case Op::kSub:
      s = std::max(s1, s2);
      p = std::max(p1 - s1, p2 - s2) + s + 1;
      break;
    case Op::kMul:
      p = p1 + p2 + 1;
      s = s1 + s2;
      break;
    case Op::kDiv:
      s = std::max(6, s1 + p2 + 1);
      p = p1 - s1 + s2 + s;
      break;
    default:  // kMod
      s = std::max(s1, s2);
      p = std::min(p1 - s1, p2 - s2) + s;
      break;
  }
  if (p > DataType::kMaxPrecision) {
    const int whole = p - s;
    s = std::max(DataType::kMaxPrecision - whole, std::min(s, 6));
    p = DataType::kMaxPrecision;
  }
  return DataType::decimal(p, s);
}

ExprPtr resolveArithmetic(std::shared_ptr<Expr> e) {
  ExprPtr l = e->children[0], r = e->children[1];
  // Strings in arithmetic are read as doubles, as Spark does.
  if (l->type.id() == TypeId::kString) l = castTo(l, DataType::float64());
  if (r->type.id() == TypeId::kString) r = castTo(r, DataType::float64());
  if (l->type.id() == TypeId::kNull)
    l = castTo(l, r->type.isNumeric() ? r->type : DataType::float64());
  if (r->type.id() == TypeId::kNull) r = castTo(r, l->type);
  if (!l->type.isNumeric() || !r->type.isNumeric()) {
    throw AnalysisException(mismatch(*e, "'" + std::string(opSymbol(e->op)) +
                                             "' requires numeric operands, not " +
                                             l->type.sqlName() + " and " + r->type.sqlName()));
  }
  DataType t = widerNumeric(l->type, r->type);
  if (e->op == Op::kDiv && t.id() != TypeId::kDecimal) t = DataType::float64();
  if (t.id() == TypeId::kDecimal) {
    l = castTo(l, decimalFor(l->type));
    r = castTo(r, decimalFor(r->type));
    const DataType result = decimalResult(e->op, l->type, r->type);
    if (e->op == Op::kAdd || e->op == Op::kSub || e->op == Op::kMod) {
      // Both operands at the result's scale: the kernel adds unscaled values.
      l = castTo(l, DataType::decimal(result.precision(), result.scale()));
      r = castTo(r, DataType::decimal(result.precision(), result.scale()));
    }
    e->type = result;
  } else {
    l = castTo(l, t);
    r = castTo(r, t);
    e->type = t;
  }
  e->nullable = true;  // division by zero and decimal overflow give null
  e->children = {l, r};
  return e;
}

ExprPtr resolveComparison(std::shared_ptr<Expr> e) {
  ExprPtr l = e->children[0], r = e->children[1];
  // Which also keeps arrays out of join keys, whose conditions are these.
  for (const ExprPtr& side : {l, r}) {
    if (side->type.isArray())
      throw AnalysisException(mismatch(*e, "ember cannot compare arrays yet ('" + side->toString() +
                                               "' is of " + side->type.sqlName() + " type)"));
  }
  const DataType t = commonType(l->type, r->type, e->toString());
  e->children = {castTo(l, t), castTo(r, t)};
  e->type = DataType::boolean();
  e->nullable = e->op != Op::kEqNullSafe && (l->nullable || r->nullable);
  return e;
}

ExprPtr toBoolean(const ExprPtr& c, const Expr& parent) {
  if (c->type.id() == TypeId::kBoolean) return c;
  if (c->type.id() == TypeId::kNull || c->type.id() == TypeId::kString)
    return castTo(c, DataType::boolean());
  throw AnalysisException(mismatch(
      parent, "'" + c->toString() + "' is of type " + c->type.sqlName() + ", not BOOLEAN"));
}

ExprPtr resolveBinary(std::shared_ptr<Expr> e) {
  if (isArithmetic(e->op)) return resolveArithmetic(std::move(e));
  if (isComparison(e->op)) return resolveComparison(std::move(e));
  e->children = {toBoolean(e->children[0], *e), toBoolean(e->children[1], *e)};
  e->type = DataType::boolean();
  e->nullable = e->children[0]->nullable || e->children[1]->nullable;
  return e;
}

ExprPtr resolveUnary(std::shared_ptr<Expr> e) {
  const ExprPtr& c = e->children[0];
  switch (e->op) {
    case Op::kIsNull:
    case Op::kIsNotNull:
      e->type = DataType::boolean();
      e->nullable = false;
      return e;
    case Op::kNot:
      e->children = {toBoolean(c, *e)};
      e->type = DataType::boolean();
      e->nullable = c->nullable;
      return e;
    default:  // kNegate
      if (c->type.id() == TypeId::kString) e->children = {castTo(c, DataType::float64())};
      if (!e->children[0]->type.isNumeric())
        throw AnalysisException(
            mismatch(*e, "negation requires a numeric operand, not " + c->type.sqlName()));
      e->type = e->children[0]->type;
      e->nullable = c->nullable;
      return e;
  }
}

ExprPtr resolveCaseWhen(std::shared_ptr<Expr> e) {
  std::vector<ExprPtr>& c = e->children;
  DataType t = DataType::null();
  for (size_t i = 0; i < c.size(); ++i) {
    const bool isValue = i % 2 == 1 || i + 1 == c.size();
    if (!isValue) {
      c[i] = toBoolean(c[i], *e);
      continue;
    }
    t = t.id() == TypeId::kNull ? c[i]->type : commonType(t, c[i]->type, e->toString());
  }
  bool nullable = c.size() % 2 == 0;  // no ELSE: null when nothing matches
  for (size_t i = 0; i < c.size(); ++i) {
    const bool isValue = i % 2 == 1 || i + 1 == c.size();
    if (!isValue) continue;
    c[i] = castTo(c[i], t);
    nullable = nullable || c[i]->nullable;
  }
  e->type = t;
  e->nullable = nullable;
  return e;
}

/// The columns of [begin, end) named `name` (case-insensitively, as Spark).
std::vector<size_t> columnsNamed(const std::string& name, const StructType& input, size_t begin,
                                 size_t end) {
  std::vector<size_t> found;
  for (size_t i = begin; i < end; ++i)
    if (strcasecmp(input[i].name.c_str(), name.c_str()) == 0) found.push_back(i);
  return found;
}

/// The columns `e` may name: in its DataFrame's scope when it has one,
/// else anywhere; a qualified "t.amount" is tried as "amount" next.
std::vector<size_t> candidates(const Expr& e, const StructType& input,
                               const std::vector<InputScope>& scopes) {
  size_t begin = 0, end = input.size();
  for (const InputScope& s : scopes) {
    if (e.planId != 0 && s.plan->contains(e.planId)) {
      begin = s.begin;
      end = s.end;
      break;
    }
  }
  std::vector<size_t> found = columnsNamed(e.name, input, begin, end);
  const size_t dot = e.name.rfind('.');
  if (found.empty() && dot != std::string::npos)
    found = columnsNamed(e.name.substr(dot + 1), input, begin, end);
  return found;
}

ExprPtr resolveColumn(const Expr& e, const StructType& input,
                      const std::vector<InputScope>& scopes) {
  const std::vector<size_t> found = candidates(e, input, scopes);
  if (found.empty()) {
    throw AnalysisException(
        "[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter "
        "with name `" +
        e.name + "` cannot be resolved. Did you mean `" + closestName(e.name, input) +
        "`? The input columns are " + quotedNames(input) + ".");
  }
  if (found.size() > 1) {
    std::string names;
    for (size_t i : found) names += (names.empty() ? "`" : ", `") + input[i].name + "`";
    throw AnalysisException("[AMBIGUOUS_REFERENCE] Reference `" + e.name +
                            "` is ambiguous, could be: [" + names +
                            "]. Take the column from its DataFrame, as df[\"" + e.name + "\"].");
  }
  return boundColumn(input, found[0]);
}

/// Window expressions resolve where select() extracts them (sql/plan/window.cpp):
/// met here they are in a filter, a sort, a grouping or an aggregate.
void refuseWindowHere(const Expr& e) {
  if (e.kind == ExprKind::kWindowFunction)
    throw AnalysisException("[WINDOW_FUNCTION_WITHOUT_OVER_CLAUSE] Window function \"" +
                            e.toString() + "\" requires an OVER clause.");
  if (e.kind == ExprKind::kWindow)
    throw AnalysisException(
        "It is not allowed to use window functions outside select() and withColumn(): \"" +
        e.toString() + "\"");
}

}  // namespace

std::string quotedNames(const StructType& input) {
  std::string out = "[";
  for (size_t i = 0; i < input.size(); ++i) {
    if (i) out += ", ";
    out += "`" + input[i].name + "`";
  }
  return out + "]";
}

ExprPtr aliasAs(const ExprPtr& e, const std::string& name) {
  auto alias = std::make_shared<Expr>(*makeAlias(e, name));
  alias->type = e->type;
  alias->nullable = e->nullable;
  alias->resolved = true;
  return alias;
}

ExprPtr boundColumn(const StructType& input, size_t i) {
  auto b = std::make_shared<Expr>();
  b->kind = ExprKind::kBound;
  b->name = input[i].name;
  b->index = static_cast<int>(i);
  b->type = input[i].dataType;
  b->nullable = input[i].nullable;
  b->resolved = true;
  return b;
}

std::string closestName(const std::string& name, const StructType& input) {
  std::string best;
  size_t bestDistance = SIZE_MAX;
  for (const StructField& f : input.fields()) {
    const size_t d = editDistance(name, f.name);
    if (d < bestDistance) {
      bestDistance = d;
      best = f.name;
    }
  }
  return best;
}

DataType commonType(DataType a, DataType b, const std::string& context) {
  if (a == b) return a;
  if (a.id() == TypeId::kNull) return b;
  if (b.id() == TypeId::kNull) return a;
  if (a.isNumeric() && b.isNumeric()) return widerNumeric(a, b);
  if (a.isArray() || b.isArray()) {
    throw AnalysisException("cannot resolve '" + context +
                            "' due to data type mismatch: differing types " + a.sqlName() +
                            " and " + b.sqlName());
  }
  // A string meets a number or a date as that type, as Spark's comparisons
  // of strings with other atomic types do.
  if (a.id() == TypeId::kString) return b;
  if (b.id() == TypeId::kString) return a;
  if ((a.id() == TypeId::kDate && b.id() == TypeId::kTimestamp) ||
      (a.id() == TypeId::kTimestamp && b.id() == TypeId::kDate))
    return DataType::timestamp();
  throw AnalysisException("cannot resolve '" + context +
                          "' due to data type mismatch: differing types " + a.sqlName() + " and " +
                          b.sqlName());
}

ExprPtr castTo(const ExprPtr& e, DataType type) {
  if (e->type == type) return e;
  auto c = std::make_shared<Expr>();
  c->kind = ExprKind::kCast;
  c->type = type;
  c->children = {e};
  c->resolved = true;
  c->nullable = true;  // a cast that cannot convert gives null
  return c;
}

ExprPtr resolveExpression(const ExprPtr& expr, const StructType& input,
                          const std::vector<InputScope>& scopes) {
  if (expr->resolved) return expr;
  if (expr->kind == ExprKind::kColumn) return resolveColumn(*expr, input, scopes);
  refuseWindowHere(*expr);
  auto e = copyOf(*expr);
  for (ExprPtr& c : e->children) c = resolveExpression(c, input, scopes);
  e->resolved = true;
  switch (e->kind) {
    case ExprKind::kLiteral:
      return e;
    case ExprKind::kAlias:
      e->type = e->children[0]->type;
      e->nullable = e->children[0]->nullable;
      return e;
    case ExprKind::kCast:
      if (!canCast(e->children[0]->type, e->type))
        throw AnalysisException(mismatch(
            *e, "cannot cast " + e->children[0]->type.sqlName() + " to " + e->type.sqlName()));
      e->nullable = true;
      return e;
    case ExprKind::kUnary:
      return resolveUnary(std::move(e));
    case ExprKind::kBinary:
      return resolveBinary(std::move(e));
    case ExprKind::kCaseWhen:
      return resolveCaseWhen(std::move(e));
    case ExprKind::kFunction:
      return resolveFunction(std::move(e));
    case ExprKind::kSortOrder:
      e->type = e->children[0]->type;
      return e;
    case ExprKind::kGenerator:
      resolveGenerator(*e);
      return e;
    default:
      throw AnalysisException("'" + e->toString() + "' is not allowed here");
  }
}

}  // namespace ember::sql

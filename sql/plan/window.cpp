#include "sql/plan/window.hpp"

#include <map>

#include "sql/errors.hpp"
#include "sql/execution/aggregate_function.hpp"

namespace ember::sql {
namespace {

using Frame = WindowFrame;

bool isRanking(const std::string& n) {
  return n == "row_number" || n == "rank" || n == "dense_rank" || n == "percent_rank" ||
         n == "cume_dist" || n == "ntile";
}

/// Throws unless `e` is free of aggregates, windows and generators: what
/// a window's keys and a function's arguments may not hold.
void refuseNested(const Expr& e, const Expr& window) {
  if (isAggregateTree(e) || hasWindow(e) || hasGenerator(e) || e.kind == ExprKind::kWindowFunction)
    throw AnalysisException(
        "It is not allowed to use an aggregate, window or generator function inside the "
        "arguments or the specification of a window function: " +
        window.toString());
}

ExprPtr resolveArg(const ExprPtr& arg, const StructType& input,
                   const std::vector<InputScope>& scopes, const Expr& window) {
  refuseNested(*arg, window);
  return resolveExpression(arg, input, scopes);
}

int64_t literalArg(const Expr& fn, size_t i) {
  const Expr& a = *fn.children[i];
  if (a.kind != ExprKind::kLiteral || a.literal.isNull() || !a.type.isIntegral())
    throw AnalysisException("cannot resolve '" + fn.toString() + "': argument " +
                            std::to_string(i + 1) + " must be an integer literal");
  if (const auto* v = std::get_if<int32_t>(&a.literal.v)) return *v;
  return std::get<int64_t>(a.literal.v);
}

void requireOrder(const Expr& fn, bool ordered) {
  if (ordered) return;
  throw AnalysisException("Window function " + fn.toString() +
                          " requires window to be ordered, please add ORDER BY clause. For "
                          "example SELECT " +
                          fn.name +
                          "()(value_expr) OVER (PARTITION BY window_partition ORDER BY "
                          "window_ordering) from table");
}

/// Ranking and offset functions compute over a frame of their own, which
/// a frame given by the user must equal, as Spark checks.
void requireFrame(const Expr& fn, Frame& frame, Frame required) {
  required.specified = true;
  if (frame.specified && !(frame == required))
    throw AnalysisException("Cannot specify window frame for " + fn.name +
                            " function: window frame " + frame.planString() +
                            " must match the required frame " + required.planString());
  frame = required;
}

/// lag's default as the column's type: a null one stays a (typed) NULL,
/// so that plans print lag(x, 1, NULL) as Spark does.
ExprPtr defaultOf(const ExprPtr& d, DataType type) {
  if (d->kind != ExprKind::kLiteral || !d->literal.isNull()) return castTo(d, type);
  auto typed = std::make_shared<Expr>(*makeLiteral(Value::null(type)));
  typed->resolved = true;
  return typed;
}

ExprPtr resolveRankingFunction(const Expr& call, const StructType& input,
                               const std::vector<InputScope>& scopes, const Expr& window,
                               bool ordered, Frame& frame) {
  auto fn = std::make_shared<Expr>(call);
  for (ExprPtr& c : fn->children) c = resolveArg(c, input, scopes, window);
  fn->resolved = true;
  fn->nullable = true;
  const std::string& n = fn->name;
  const size_t arity = n == "ntile" ? 1 : n == "lag" || n == "lead" ? 3 : n == "nth_value" ? 2 : 0;
  if (fn->children.size() != arity)
    throw AnalysisException("function " + n + " takes " + std::to_string(arity) +
                            " arguments: " + fn->toString());
  if (isRanking(n)) {
    requireOrder(*fn, ordered);
    requireFrame(*fn, frame, Frame{Frame::Type::kRows, Frame::kUnboundedPreceding, 0, true});
    if (n == "ntile" && literalArg(*fn, 0) <= 0)
      throw AnalysisException("cannot resolve '" + fn->toString() +
                              "': Buckets expression must be positive");
    const bool distribution = n == "percent_rank" || n == "cume_dist";
    fn->type = distribution ? DataType::float64() : DataType::integer();
    fn->nullable = false;
  } else if (n == "lag" || n == "lead") {
    requireOrder(*fn, ordered);
    const int64_t offset = literalArg(*fn, 1) * (n == "lag" ? -1 : 1);
    requireFrame(*fn, frame, Frame{Frame::Type::kRows, offset, offset, true});
    fn->type = fn->children[0]->type;
    fn->children[2] = defaultOf(fn->children[2], fn->type);
  } else if (n == "nth_value") {
    if (literalArg(*fn, 1) <= 0)
      throw AnalysisException("cannot resolve '" + fn->toString() +
                              "': The 'offset' argument of nth_value must be positive");
    fn->type = fn->children[0]->type;
  } else {
    throw AnalysisException("[UNRESOLVED_ROUTINE] Cannot resolve window function `" + n + "`");
  }
  return fn;
}

bool isFrameValue(const std::string& n) {
  return n == "first" || n == "first_value" || n == "last" || n == "last_value";
}

ExprPtr resolveWindowAggregate(const Expr& call, const StructType& input,
                               const std::vector<InputScope>& scopes, const Expr& window) {
  if (call.distinct)
    throw AnalysisException(
        "[DISTINCT_WINDOW_FUNCTION_UNSUPPORTED] Distinct window functions are not supported: " +
        window.toString() + ".");
  auto fn = std::make_shared<Expr>(call);
  const bool star = call.name == "count" && call.children.size() == 1 &&
                    call.children[0]->kind == ExprKind::kColumn && call.children[0]->name == "*";
  if (star) fn->children.clear();
  for (ExprPtr& c : fn->children) c = resolveArg(c, input, scopes, window);
  if (isFrameValue(call.name)) {
    if (fn->children.size() != 1)
      throw AnalysisException("function " + call.name + " takes one argument: " + call.toString());
    fn->type = fn->children[0]->type;
    fn->resolved = true;
    fn->nullable = true;
    return fn;
  }
  const ExprPtr resolved = resolvedAggregate(fn);
  const AggregateFunction f = aggregateFunctionOf(*resolved);
  const bool supported = f.kind == AggKind::kCount || f.kind == AggKind::kCountStar ||
                         f.kind == AggKind::kSum || f.kind == AggKind::kAvg ||
                         f.kind == AggKind::kMin || f.kind == AggKind::kMax;
  if (!supported ||
      ((f.kind == AggKind::kSum || f.kind == AggKind::kAvg) && f.input.id() == TypeId::kDecimal))
    throw AnalysisException("ember cannot compute " + resolved->toString() +
                            " over a window yet (over a window: count, sum, avg and min/max, "
                            "sum and avg of integers and doubles)");
  return resolved;
}

bool isValueOffset(int64_t b) {
  return b != Frame::kUnboundedPreceding && b != Frame::kUnboundedFollowing &&
         b != Frame::kCurrentRow;
}

/// Spark's default frame, and its checks of a given one.
void checkFrame(Frame& frame, const std::vector<ExprPtr>& orders, const Expr& window) {
  if (!frame.specified) {
    frame = orders.empty() ? Frame{Frame::Type::kRows, Frame::kUnboundedPreceding,
                                   Frame::kUnboundedFollowing, true}
                           : Frame{Frame::Type::kRange, Frame::kUnboundedPreceding, 0, true};
    return;
  }
  if (frame.lower == Frame::kUnboundedFollowing || frame.upper == Frame::kUnboundedPreceding ||
      frame.lower > frame.upper)
    throw AnalysisException("cannot resolve '" + window.toString() +
                            "' due to data type mismatch: the lower bound of window frame " +
                            frame.planString() + " must not be greater than its upper bound");
  if (frame.type != Frame::Type::kRange ||
      (!isValueOffset(frame.lower) && !isValueOffset(frame.upper)))
    return;
  if (orders.empty())
    throw AnalysisException(
        "A range window frame cannot be used in an unordered window specification: " +
        window.toString());
  if (orders.size() > 1)
    throw AnalysisException(
        "A range window frame with value boundaries cannot be used in a window specification "
        "with multiple order by expressions: " +
        window.toString());
  const DataType t = orders[0]->type;
  const bool numeric = t.isIntegral() || t.id() == TypeId::kDouble || t.id() == TypeId::kDate;
  if (!numeric || t.id() == TypeId::kTimestamp || t.id() == TypeId::kBoolean)
    throw AnalysisException("cannot resolve '" + window.toString() +
                            "' due to data type mismatch: the order key of a range frame with "
                            "value boundaries must be numeric or a date (ember: not a decimal), "
                            "not " +
                            t.sqlName());
}

ExprPtr resolveFunctionOf(const Expr& w, const StructType& input,
                          const std::vector<InputScope>& scopes, bool ordered, Frame& frame) {
  const Expr& fn = *w.children[0];
  if (fn.kind == ExprKind::kWindowFunction)
    return resolveRankingFunction(fn, input, scopes, w, ordered, frame);
  if (fn.kind == ExprKind::kAggregate) return resolveWindowAggregate(fn, input, scopes, w);
  throw AnalysisException("[UNSUPPORTED_EXPR_FOR_WINDOW] Expression \"" + fn.toString() +
                          "\" not supported within a window function.");
}

/// The resolved kWindow of `e`: function, keys, orders and frame.
ExprPtr resolveWindow(const Expr& e, const StructType& input,
                      const std::vector<InputScope>& scopes) {
  const size_t keys = e.window->partitionCount;
  std::vector<ExprPtr> partition, orders;
  for (size_t i = 1; i < e.children.size(); ++i) {
    ExprPtr k = resolveArg(e.children[i], input, scopes, e);
    if (k->type.isArray())
      throw AnalysisException("ember cannot partition or sort a window by arrays yet: '" +
                              e.children[i]->toString() + "' is of " + k->type.sqlName() + " type");
    (i <= keys ? partition : orders).push_back(std::move(k));
  }
  Frame frame = e.window->frame;
  const ExprPtr fn = resolveFunctionOf(e, input, scopes, !orders.empty(), frame);
  const bool ranking = fn->kind == ExprKind::kWindowFunction && fn->name != "nth_value";
  if (!ranking) checkFrame(frame, orders, e);
  auto w = std::make_shared<Expr>(*makeWindow(fn, partition, orders, frame));
  w->type = fn->type;
  w->nullable = fn->nullable;
  w->resolved = true;
  return w;
}

/// An expression's text with its columns by position, which toString
/// (names only) leaves ambiguous when two columns share a name.
std::string exprKey(const Expr& e) {
  if (e.kind == ExprKind::kBound) return "#" + std::to_string(e.index);
  std::string key = e.toString() + "(";
  for (const ExprPtr& c : e.children) key += exprKey(*c) + ",";
  return key + ")";
}

std::string keysOf(const std::vector<ExprPtr>& exprs) {
  std::string key;
  for (const ExprPtr& e : exprs) key += exprKey(*e) + ";";
  return key;
}

/// What distinguishes one Window node from another: its keys and orders.
std::string specKey(const Expr& w) {
  std::string key;
  for (size_t i = 1; i < w.children.size(); ++i)
    key += exprKey(*w.children[i]) + (i == w.window->partitionCount ? " | " : ", ");
  return key;
}

/// A window expression of the list, resolved, and its column's name: the
/// alias it is the whole of a column under (as Spark's Window outputs the
/// alias), else its own name.
struct Extracted {
  ExprPtr window;
  std::string name;
};

struct Extraction {
  const StructType& input;
  const std::vector<InputScope>& scopes;
  std::map<const Expr*, std::string> keyOf;    ///< each window expression met: its key
  std::vector<std::vector<Extracted>> groups;  ///< by spec, in the order met
  std::map<std::string, size_t> groupOf;
  std::map<std::string, size_t> seen;  ///< keys met

  void collect(const ExprPtr& e) {
    if (e->kind == ExprKind::kAlias && e->children[0]->kind == ExprKind::kWindow)
      return add(e->children[0], e->name);
    if (e->kind == ExprKind::kWindow) return add(e, "");
    for (const ExprPtr& c : e->children) collect(c);
  }

  void add(const ExprPtr& e, std::string name) {
    const ExprPtr w = resolveWindow(*e, input, scopes);
    if (name.empty()) name = w->outputName();
    const std::string key = name + "\n" + w->toString();
    keyOf[e.get()] = key;
    if (!seen.emplace(key, 0).second) return;
    const auto [at, added] = groupOf.emplace(specKey(*w), groups.size());
    if (added) groups.emplace_back();
    groups[at->second].push_back({w, name});
  }
};

/// `e` with each window expression replaced by its column of `columns`
/// (by key); an alias a window column is named by goes with it.
ExprPtr replaceWindows(const ExprPtr& e, const Extraction& x,
                       const std::map<std::string, ExprPtr>& columns) {
  if (e->kind == ExprKind::kAlias && e->children[0]->kind == ExprKind::kWindow)
    return columns.at(x.keyOf.at(e->children[0].get()));
  if (e->kind == ExprKind::kWindow) return columns.at(x.keyOf.at(e.get()));
  if (!hasWindow(*e)) return e;
  auto copy = std::make_shared<Expr>(*e);
  for (ExprPtr& c : copy->children) c = replaceWindows(c, x, columns);
  return copy;
}

}  // namespace

ExtractedWindows extractWindows(const PlanPtr& child, const std::vector<ExprPtr>& columns,
                                const std::vector<InputScope>& scopes) {
  Extraction x{child->schema, scopes, {}, {}, {}, {}};
  for (const ExprPtr& c : columns) x.collect(c);
  PlanPtr plan = child;
  std::map<std::string, ExprPtr> references;
  for (const std::vector<Extracted>& group : x.groups) {
    auto node = std::make_shared<LogicalPlan>();
    node->kind = PlanKind::kWindow;
    node->children = {plan};
    std::vector<StructField> fields = plan->schema.fields();
    for (const Extracted& w : group) {
      node->exprs.push_back(aliasAs(w.window, w.name));
      fields.push_back(StructField{w.name, w.window->type, w.window->nullable});
    }
    node->schema = StructType(std::move(fields));
    for (size_t k = 0; k < group.size(); ++k) {
      references[group[k].name + "\n" + group[k].window->toString()] =
          boundColumn(node->schema, plan->schema.size() + k);
    }
    plan = node;
  }
  ExtractedWindows out{plan, {}, {}};
  for (const ExprPtr& c : columns) {
    const ExprPtr replaced = replaceWindows(c, x, references);
    out.names.push_back(replaced->outputName());
    out.columns.push_back(resolveExpression(replaced, plan->schema, scopes));
  }
  return out;
}

const Expr& windowOf(const Expr& e) {
  const Expr* w = &e;
  while (w->kind == ExprKind::kAlias) w = w->children[0].get();
  return *w;
}

std::vector<ExprPtr> windowPartitionKeys(const LogicalPlan& window) {
  const Expr& w = windowOf(*window.exprs[0]);
  const auto begin = w.children.begin() + 1;
  return {begin, begin + static_cast<std::ptrdiff_t>(w.window->partitionCount)};
}

std::vector<ExprPtr> windowOrders(const LogicalPlan& window) {
  const Expr& w = windowOf(*window.exprs[0]);
  return {w.children.begin() + 1 + static_cast<std::ptrdiff_t>(w.window->partitionCount),
          w.children.end()};
}

std::vector<ExprPtr> windowSortOrders(const LogicalPlan& window) {
  std::vector<ExprPtr> orders;
  for (const ExprPtr& k : windowPartitionKeys(window)) {
    auto o = std::make_shared<Expr>(*makeSortOrder(k, true, true));
    o->type = k->type;
    o->resolved = true;
    orders.push_back(o);
  }
  for (const ExprPtr& o : windowOrders(window)) orders.push_back(o);
  return orders;
}

std::string windowString(const LogicalPlan& p) {
  return "Window [" + toString(p.exprs) + "], [" + toString(windowPartitionKeys(p)) + "], [" +
         toString(windowOrders(p)) + "]";
}

bool reusesChildPartitioning(const LogicalPlan& window) {
  const LogicalPlan& c = window.child();
  return c.kind == PlanKind::kWindow &&
         keysOf(windowPartitionKeys(window)) == keysOf(windowPartitionKeys(c));
}

bool sameWindowSpec(const LogicalPlan& a, const LogicalPlan& b) {
  return keysOf(windowPartitionKeys(a)) == keysOf(windowPartitionKeys(b)) &&
         keysOf(windowOrders(a)) == keysOf(windowOrders(b));
}

}  // namespace ember::sql

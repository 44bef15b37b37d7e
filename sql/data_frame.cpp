#include "sql/data_frame.hpp"

#include <strings.h>
#include <algorithm>
#include <iostream>
#include <random>

#include "sql/data_frame_writer.hpp"
#include "sql/detail/session_state.hpp"
#include "sql/errors.hpp"
#include "sql/execution/aggregate_function.hpp"
#include "sql/execution/physical_plan.hpp"
#include "sql/execution/plan_executor.hpp"
#include "sql/functions.hpp"
#include "sql/optimizer/optimizer.hpp"
#include "sql/parser/parser.hpp"
#include "sql/plan/expression_resolver.hpp"
#include "sql/plan/generate.hpp"
#include "sql/plan/local_relation.hpp"
#include "sql/plan/window.hpp"

namespace ember {

using sql::Expr;
using sql::ExprKind;
using sql::ExprPtr;
using sql::LogicalPlan;
using sql::PlanKind;
using sql::PlanPtr;

namespace {

std::shared_ptr<LogicalPlan> node(PlanKind kind, PlanPtr child) {
  auto p = std::make_shared<LogicalPlan>();
  p->kind = kind;
  p->children = {std::move(child)};
  return p;
}

bool isStar(const Column& c) {
  return c.expr()->kind == ExprKind::kColumn && c.expr()->name == "*";
}

/// The columns of a join's input: the left's, then the right's.
std::vector<StructField> sideBySide(const StructType& l, const StructType& r) {
  std::vector<StructField> both = l.fields();
  both.insert(both.end(), r.fields().begin(), r.fields().end());
  return both;
}

/// `e` under the name `name`, unless it carries that name already.
ExprPtr named(const ExprPtr& e, const std::string& name) {
  if ((e->kind == ExprKind::kBound || e->kind == ExprKind::kAlias) && e->name == name) return e;
  return sql::aliasAs(e, name);
}

/// Code points, the width show() gives a cell.
size_t displayWidth(const std::string& s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

std::string pad(const std::string& s, size_t width, bool left) {
  const size_t w = displayWidth(s);
  if (w >= width) return s;
  return left ? std::string(width - w, ' ') + s : s + std::string(width - w, ' ');
}

std::string cut(const std::string& s, int truncate) {
  if (truncate <= 0 || displayWidth(s) <= static_cast<size_t>(truncate)) return s;
  const auto keep = static_cast<size_t>(truncate < 4 ? truncate : truncate - 3);
  size_t bytes = 0, seen = 0;
  for (; bytes < s.size(); ++bytes) {
    if ((static_cast<unsigned char>(s[bytes]) & 0xC0) != 0x80) {
      if (seen == keep) break;
      ++seen;
    }
  }
  return s.substr(0, bytes) + (truncate < 4 ? "" : "...");
}

}  // namespace

Column DataFrame::toColumn(const std::string& name) { return functions::col(name); }

DataFrame DataFrame::derive(PlanPtr parsed, PlanPtr analyzed) const {
  return DataFrame(session_, std::move(parsed), std::move(analyzed));
}

std::vector<std::pair<std::string, std::string>> DataFrame::dtypes() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const StructField& f : schema().fields())
    out.emplace_back(f.name, f.dataType.simpleString());
  return out;
}

void DataFrame::printSchema() const {
  if (session_->ctx->isDriver()) std::cout << schema().treeString() << std::flush;
}

DataFrame DataFrame::filter(const std::string& condition) const {
  return filter(Column(sql::parseExpression(condition)));
}

DataFrame DataFrame::selectExpr(const std::vector<std::string>& exprs) const {
  std::vector<Column> columns;
  for (const std::string& e : exprs) columns.emplace_back(sql::parseExpression(e));
  return select(columns);
}

void DataFrame::registerView(const std::string& name, bool global, bool replace) const {
  sql::TempViews& views = global ? *session_->globalViews : *session_->views;
  if (!views.create(name, sql::ViewEntry{parsed_, analyzed_, true}, replace))
    throw AnalysisException(
        "[TEMP_TABLE_OR_VIEW_ALREADY_EXISTS] Cannot create the temporary view `" + name +
        "` because it already exists. Choose a different name, drop it "
        "first, or use createOrReplace" +
        (global ? "Global" : "") + "TempView.");
}

void DataFrame::createOrReplaceTempView(const std::string& name) const {
  registerView(name, false, true);
}
void DataFrame::createTempView(const std::string& name) const { registerView(name, false, false); }
void DataFrame::createGlobalTempView(const std::string& name) const {
  registerView(name, true, false);
}
void DataFrame::createOrReplaceGlobalTempView(const std::string& name) const {
  registerView(name, true, true);
}

Column DataFrame::col(const std::string& name) const {
  sql::resolveExpression(sql::makeColumn(name), schema());  // throws for an unknown name
  auto e = std::make_shared<Expr>(*sql::makeColumn(name));
  e->planId = analyzed_->id;
  return Column(e);
}

std::vector<sql::InputScope> DataFrame::scopes() const {
  if (analyzed_->kind != PlanKind::kJoin || !sql::keepsRightColumns(analyzed_->joinType)) return {};
  const PlanPtr& l = analyzed_->children[0];
  const PlanPtr& r = analyzed_->children[1];
  return {{l, 0, l->schema.size()}, {r, l->schema.size(), schema().size()}};
}

std::vector<Column> DataFrame::allColumns() const {
  std::vector<Column> columns;
  for (size_t i = 0; i < schema().size(); ++i) columns.emplace_back(sql::boundColumn(schema(), i));
  return columns;
}

DataFrame DataFrame::select(const std::vector<Column>& columns) const {
  return projectAs(columns, columns);
}

DataFrame DataFrame::select(const std::vector<std::string>& names) const {
  std::vector<Column> columns;
  for (const std::string& n : names) columns.push_back(functions::col(n));
  return select(columns);
}

namespace {

/// The position of the one generator of a select list, if any; throws
/// AnalysisException, as Spark's, for a generator inside an expression
/// or a second one.
std::optional<size_t> generatorAt(const std::vector<Column>& columns) {
  std::optional<size_t> at;
  for (size_t i = 0; i < columns.size(); ++i) {
    const Expr& e = *columns[i].expr();
    if (!sql::hasGenerator(e)) continue;
    if (!sql::generatorOf(e))
      throw AnalysisException(
          "[UNSUPPORTED_GENERATOR.NESTED_IN_EXPRESSIONS] The generator is not supported: nested "
          "in expressions \"" +
          e.toString() + "\".");
    if (at)
      throw AnalysisException(
          "[UNSUPPORTED_GENERATOR.MULTI_GENERATOR] The generator is not supported: only one "
          "generator allowed per select clause but found 2: \"" +
          columns[*at].toString() + "\", \"" + e.toString() + "\".");
    at = i;
  }
  return at;
}

}  // namespace

DataFrame DataFrame::generated(const std::vector<Column>& columns,
                               const std::vector<Column>& parsed, size_t at) const {
  const Expr& call = *columns[at].expr();
  const ExprPtr generator =
      sql::resolveExpression(std::make_shared<Expr>(*sql::generatorOf(call)), schema(), scopes());
  // Spark names an explode's column "col" unless it is aliased.
  const std::string name = call.kind == ExprKind::kAlias ? call.name : "col";
  const DataFrame input = derive(parsed_, sql::generate(analyzed_, generator, name));
  // The other columns read this frame's columns, which lead the Generate's
  // output; resolved here, so that they cannot name the generated one.
  std::vector<Column> over;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i == at) {
      over.emplace_back(sql::boundColumn(input.schema(), schema().size()));
    } else if (isStar(columns[i])) {
      for (const Column& c : allColumns()) over.push_back(c);
    } else {
      const ExprPtr e = sql::resolveExpression(columns[i].expr(), schema(), scopes());
      over.emplace_back(named(e, columns[i].expr()->outputName()));
    }
  }
  return input.projectAs(over, parsed);
}

DataFrame DataFrame::windowed(const std::vector<Column>& columns,
                              const std::vector<Column>& parsed) const {
  std::vector<ExprPtr> exprs;
  for (const Column& c : columns) {
    if (!isStar(c)) {
      exprs.push_back(c.expr());
      continue;
    }
    for (const Column& b : allColumns()) exprs.push_back(b.expr());
  }
  const sql::ExtractedWindows w = sql::extractWindows(analyzed_, exprs, scopes());
  std::vector<Column> over;
  for (size_t i = 0; i < exprs.size(); ++i) over.emplace_back(named(w.columns[i], w.names[i]));
  return derive(parsed_, w.plan).projectAs(over, parsed);
}

DataFrame DataFrame::projectAs(const std::vector<Column>& columns,
                               const std::vector<Column>& parsed) const {
  if (const std::optional<size_t> at = generatorAt(columns)) return generated(columns, parsed, *at);
  if (std::any_of(columns.begin(), columns.end(),
                  [](const Column& c) { return sql::hasWindow(*c.expr()); }))
    return windowed(columns, parsed);
  auto analyzed = node(PlanKind::kProject, analyzed_);
  auto parsedPlan = node(PlanKind::kProject, parsed_);
  std::vector<StructField> fields;
  for (const Column& c : columns) {
    if (isStar(c)) {
      for (size_t i = 0; i < schema().size(); ++i) {
        analyzed->exprs.push_back(sql::boundColumn(schema(), i));
        fields.push_back(schema()[i]);
      }
      continue;
    }
    const ExprPtr e = sql::resolveExpression(c.expr(), schema(), scopes());
    if (e->kind == ExprKind::kSortOrder || e->kind == ExprKind::kAggregate)
      throw AnalysisException("'" + c.toString() + "' cannot be a column of select()");
    const std::string name = c.expr()->outputName();
    analyzed->exprs.push_back(named(e, name));
    fields.push_back(StructField{name, e->type, e->nullable});
  }
  for (const Column& c : parsed) parsedPlan->exprs.push_back(c.expr());
  analyzed->schema = StructType(std::move(fields));
  return derive(parsedPlan, analyzed);
}

DataFrame DataFrame::withColumn(const std::string& name, const Column& value) const {
  std::vector<Column> columns = allColumns();
  bool replaced = false;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (strcasecmp(schema()[i].name.c_str(), name.c_str()) == 0) {
      columns[i] = value.alias(name);
      replaced = true;
    }
  }
  if (!replaced) columns.push_back(value.alias(name));
  return projectAs(columns, {functions::col("*"), value.alias(name)});
}

DataFrame DataFrame::withColumnRenamed(const std::string& existing,
                                       const std::string& renamed) const {
  const auto at = schema().find(existing);
  if (!at) return *this;  // as Spark: renaming a missing column is no change
  std::vector<Column> columns = allColumns();
  columns[*at] = columns[*at].alias(renamed);
  return projectAs(columns, columns);
}

DataFrame DataFrame::drop(const std::vector<std::string>& names) const {
  std::vector<Column> columns;
  const std::vector<Column> all = allColumns();
  for (size_t i = 0; i < all.size(); ++i) {
    const bool dropped = std::any_of(names.begin(), names.end(), [&](const std::string& n) {
      return strcasecmp(n.c_str(), schema()[i].name.c_str()) == 0;
    });
    if (!dropped) columns.push_back(all[i]);
  }
  return projectAs(columns, columns);
}

DataFrame DataFrame::filter(const Column& condition) const {
  sql::refuseGenerator(*condition.expr());
  ExprPtr c = sql::resolveExpression(condition.expr(), schema(), scopes());
  if (c->type.id() == TypeId::kString || c->type.id() == TypeId::kNull) {
    c = sql::castTo(c, DataType::boolean());
  } else if (c->type.id() != TypeId::kBoolean) {
    throw AnalysisException("filter expression '" + condition.toString() + "' of type " +
                            c->type.sqlName() + " is not a boolean");
  }
  auto analyzed = node(PlanKind::kFilter, analyzed_);
  analyzed->exprs = {c};
  analyzed->schema = schema();
  auto parsed = node(PlanKind::kFilter, parsed_);
  parsed->exprs = {condition.expr()};
  return derive(parsed, analyzed);
}

DataFrame DataFrame::limit(int64_t n) const {
  if (n < 0) throw AnalysisException("limit(" + std::to_string(n) + "): the limit must be >= 0");
  auto analyzed = node(PlanKind::kLimit, analyzed_);
  analyzed->limit = n;
  analyzed->schema = schema();
  auto parsed = node(PlanKind::kLimit, parsed_);
  parsed->limit = n;
  return derive(parsed, analyzed);
}

DataFrame DataFrame::joined(const DataFrame& other, const Column* condition,
                            sql::JoinType type) const {
  const StructType& l = schema();
  const StructType& r = other.schema();
  std::vector<StructField> both = sideBySide(l, r);
  const StructType input(both);
  auto analyzed = node(PlanKind::kJoin, analyzed_);
  analyzed->children.push_back(other.analyzed_);
  analyzed->joinType = type;
  auto parsed = node(PlanKind::kJoin, parsed_);
  parsed->children.push_back(other.parsed_);
  parsed->joinType = type;
  if (condition) {
    const std::vector<sql::InputScope> sides = {{analyzed_, 0, l.size()},
                                                {other.analyzed_, l.size(), both.size()}};
    ExprPtr c = sql::resolveExpression(condition->expr(), input, sides);
    if (c->type.id() != TypeId::kBoolean)
      throw AnalysisException("join condition '" + condition->toString() + "' of type " +
                              c->type.sqlName() + " is not a boolean");
    analyzed->exprs = {c};
    parsed->exprs = {condition->expr()};
  }
  // The side whose unmatched rows the other keeps gets null columns there.
  for (size_t i = 0; i < both.size(); ++i) {
    const bool leftSide = i < l.size();
    if (leftSide ? sql::keepsUnmatchedRight(type) : sql::keepsUnmatchedLeft(type))
      both[i].nullable = true;
  }
  if (!sql::keepsRightColumns(type)) both.resize(l.size());
  analyzed->schema = StructType(std::move(both));
  return derive(parsed, analyzed);
}

DataFrame DataFrame::join(const DataFrame& other, const Column& on, const std::string& how) const {
  return joined(other, &on, sql::joinTypeOf(how));
}

DataFrame DataFrame::crossJoin(const DataFrame& other) const {
  return joined(other, nullptr, sql::JoinType::kCross);
}

DataFrame DataFrame::join(const DataFrame& other, const std::string& on,
                          const std::string& how) const {
  return join(other, std::vector<std::string>{on}, how);
}

DataFrame DataFrame::join(const DataFrame& other, const std::vector<std::string>& on,
                          const std::string& how) const {
  const sql::JoinType type = sql::joinTypeOf(how);
  const size_t width = schema().size();
  const StructType both(sideBySide(schema(), other.schema()));
  std::vector<size_t> leftAt, rightAt;
  std::optional<Column> condition;
  for (const std::string& name : on) {
    const auto l = schema().find(name);
    const auto r = other.schema().find(name);
    if (!l || !r) {
      throw AnalysisException("[UNRESOLVED_USING_COLUMN_FOR_JOIN] USING column `" + name +
                              "` cannot be resolved on the " + (l ? "right" : "left") +
                              " side of the join. The " + (l ? "right" : "left") +
                              "-side columns: " + sql::quotedNames(l ? other.schema() : schema()) +
                              ".");
    }
    leftAt.push_back(*l);
    rightAt.push_back(*r);
    Column eq = Column(sql::boundColumn(both, *l)) == Column(sql::boundColumn(both, width + *r));
    condition = condition ? *condition && eq : eq;
  }
  DataFrame j = joined(other, condition ? &*condition : nullptr, type);
  // Spark's USING output: each key once (the left's, the right's for a
  // right join, the first non-null of both for a full one), then the rest
  // of the left's columns, then the rest of the right's.
  const std::vector<Column> all = j.allColumns();
  std::vector<Column> out;
  for (size_t k = 0; k < on.size(); ++k) {
    const Column& lk = all[leftAt[k]];
    if (!sql::keepsRightColumns(type) || type == sql::JoinType::kInner ||
        type == sql::JoinType::kLeftOuter || type == sql::JoinType::kCross) {
      out.push_back(lk);
    } else if (type == sql::JoinType::kRightOuter) {
      out.push_back(all[width + rightAt[k]]);
    } else {
      out.push_back(
          functions::coalesce(lk, all[width + rightAt[k]]).alias(schema()[leftAt[k]].name));
    }
  }
  for (size_t i = 0; i < width; ++i)
    if (std::find(leftAt.begin(), leftAt.end(), i) == leftAt.end()) out.push_back(all[i]);
  if (sql::keepsRightColumns(type)) {
    for (size_t i = 0; i < other.schema().size(); ++i)
      if (std::find(rightAt.begin(), rightAt.end(), i) == rightAt.end())
        out.push_back(all[width + i]);
  }
  return j.select(out);
}

namespace {

/// `df`'s columns converted to `types` where they differ, names kept.
std::vector<Column> castColumns(const DataFrame& df, const std::vector<DataType>& types) {
  std::vector<Column> out;
  for (size_t i = 0; i < types.size(); ++i) {
    const ExprPtr c = sql::boundColumn(df.schema(), i);
    out.emplace_back(c->type == types[i] ? c : named(sql::castTo(c, types[i]), c->name));
  }
  return out;
}

}  // namespace

DataFrame DataFrame::union_(const DataFrame& other) const {
  const StructType& l = schema();
  const StructType& r = other.schema();
  if (l.size() != r.size()) {
    throw AnalysisException(
        "[NUM_COLUMNS_MISMATCH] UNION can only be performed on inputs with the same number of "
        "columns, but the first input has " +
        std::to_string(l.size()) + " columns and the second input has " + std::to_string(r.size()) +
        " columns.");
  }
  std::vector<DataType> types;
  std::vector<StructField> fields;
  for (size_t i = 0; i < l.size(); ++i) {
    types.push_back(sql::commonType(l[i].dataType, r[i].dataType,
                                    "UNION of column `" + l[i].name + "` and `" + r[i].name + "`"));
    fields.push_back(StructField{l[i].name, types.back(), l[i].nullable || r[i].nullable});
  }
  const DataFrame a = select(castColumns(*this, types));
  const DataFrame b = other.select(castColumns(other, types));
  auto analyzed = node(PlanKind::kUnion, a.analyzed_);
  analyzed->children.push_back(b.analyzed_);
  analyzed->schema = StructType(std::move(fields));
  auto parsed = node(PlanKind::kUnion, parsed_);
  parsed->children.push_back(other.parsed_);
  return derive(parsed, analyzed);
}

DataFrame DataFrame::unionByName(const DataFrame& other, bool allowMissingColumns) const {
  std::vector<Column> mine = allColumns();
  std::vector<Column> theirs;
  auto missing = [&](const std::string& name, const StructType& in, const DataType& type) {
    if (!allowMissingColumns) {
      throw AnalysisException("[NUM_COLUMNS_MISMATCH] unionByName: column `" + name +
                              "` is not in the other input, whose columns are " +
                              sql::quotedNames(in) + "; pass allowMissingColumns = true to " +
                              "fill it with nulls");
    }
    return functions::nullLiteral(type).alias(name);
  };
  for (const StructField& f : schema().fields()) {
    const auto at = other.schema().find(f.name);
    theirs.push_back(at ? Column(sql::boundColumn(other.schema(), *at))
                        : missing(f.name, other.schema(), f.dataType));
  }
  for (size_t i = 0; i < other.schema().size(); ++i) {
    const StructField& f = other.schema()[i];
    if (schema().find(f.name)) continue;
    mine.push_back(missing(f.name, schema(), f.dataType));
    theirs.emplace_back(sql::boundColumn(other.schema(), i));
  }
  return select(mine).union_(other.select(theirs));
}

DataFrame DataFrame::distinct() const { return groupBy(allColumns()).agg(std::vector<Column>{}); }

DataFrame DataFrame::dropDuplicates(const std::vector<std::string>& subset) const {
  if (subset.empty()) return distinct();
  std::vector<Column> rest;
  for (const StructField& f : schema().fields()) {
    const bool key = std::any_of(subset.begin(), subset.end(), [&](const std::string& n) {
      return strcasecmp(n.c_str(), f.name.c_str()) == 0;
    });
    if (!key) rest.push_back(functions::first(functions::col(f.name)).alias(f.name));
  }
  return groupBy(subset).agg(rest).select(columns());
}

DataFrame DataFrame::hint(const std::string& name) const {
  std::string lower = name;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower != "broadcast" && lower != "broadcastjoin" && lower != "mapjoin") return *this;
  auto analyzed = std::make_shared<LogicalPlan>(*analyzed_);
  analyzed->broadcastHint = true;
  auto parsed = std::make_shared<LogicalPlan>(*parsed_);
  parsed->broadcastHint = true;
  return derive(parsed, analyzed);
}

DataFrame DataFrame::unary(LogicalPlan n, std::vector<ExprPtr> parsedExprs) const {
  n.schema = schema();
  auto analyzed = std::make_shared<LogicalPlan>(n);
  analyzed->children = {analyzed_};
  auto parsed = std::make_shared<LogicalPlan>(std::move(n));
  parsed->children = {parsed_};
  parsed->exprs = std::move(parsedExprs);
  return derive(parsed, analyzed);
}

namespace {

/// `c` as a sort order: ascending (nulls first) unless it says otherwise.
ExprPtr asSortOrder(const Column& c) {
  if (c.expr()->kind == ExprKind::kSortOrder) return c.expr();
  return sql::makeSortOrder(c.expr(), true, true);
}

LogicalPlan planOf(PlanKind kind) {
  LogicalPlan p;
  p.kind = kind;
  return p;
}

}  // namespace

std::vector<ExprPtr> DataFrame::sortOrders(const std::vector<Column>& columns) const {
  if (columns.empty()) throw AnalysisException("sorting needs at least one column");
  std::vector<ExprPtr> orders;
  for (const Column& c : columns) {
    sql::refuseGenerator(*c.expr());
    ExprPtr o = sql::resolveExpression(asSortOrder(c), schema(), scopes());
    if (o->type.isArray())
      throw AnalysisException("ember cannot sort by arrays yet: sort key '" + c.toString() +
                              "' is of " + o->type.sqlName() + " type");
    if (sql::isAggregateTree(*o))
      throw AnalysisException("aggregate functions cannot be sort keys: " + c.toString());
    orders.push_back(std::move(o));
  }
  return orders;
}

DataFrame DataFrame::sorted(const std::vector<Column>& columns, bool global) const {
  LogicalPlan n = planOf(PlanKind::kSort);
  n.exprs = sortOrders(columns);
  n.global = global;
  std::vector<ExprPtr> parsed;
  for (const Column& c : columns) parsed.push_back(asSortOrder(c));
  return unary(std::move(n), std::move(parsed));
}

DataFrame DataFrame::orderBy(const std::vector<Column>& columns) const {
  return sorted(columns, true);
}

DataFrame DataFrame::sortWithinPartitions(const std::vector<Column>& columns) const {
  return sorted(columns, false);
}

DataFrame DataFrame::sample(bool withReplacement, double fraction, uint64_t seed) const {
  if (!(fraction >= 0) || (!withReplacement && fraction > 1))
    throw AnalysisException(
        "sample: the fraction must be in [0, 1] without replacement and "
        ">= 0 with it, not " +
        sql::formatDouble(fraction));
  LogicalPlan n = planOf(PlanKind::kSample);
  n.fraction = fraction;
  n.withReplacement = withReplacement;
  n.seed = seed;
  return unary(std::move(n), {});
}

DataFrame DataFrame::sample(double fraction) const {
  return sample(false, fraction, std::random_device{}());
}

namespace {

void checkPartitions(const char* op, int n, bool zeroAllowed) {
  if (n > 0 || (zeroAllowed && n == 0)) return;
  throw AnalysisException(std::string(op) + ": the number of partitions must be positive, not " +
                          std::to_string(n));
}

}  // namespace

DataFrame DataFrame::repartition(int numPartitions) const {
  checkPartitions("repartition", numPartitions, false);
  LogicalPlan n = planOf(PlanKind::kRepartition);
  n.numPartitions = numPartitions;
  return unary(std::move(n), {});
}

DataFrame DataFrame::repartition(int numPartitions, const std::vector<Column>& columns) const {
  checkPartitions("repartition", numPartitions, true);
  if (columns.empty()) return repartition(numPartitions);
  LogicalPlan n = planOf(PlanKind::kRepartition);
  n.numPartitions = numPartitions;
  n.global = false;
  std::vector<ExprPtr> parsed;
  for (const Column& c : columns) {
    n.exprs.push_back(sql::resolveExpression(c.expr(), schema(), scopes()));
    parsed.push_back(c.expr());
  }
  return unary(std::move(n), std::move(parsed));
}

DataFrame DataFrame::repartitionByRange(int numPartitions,
                                        const std::vector<Column>& columns) const {
  checkPartitions("repartitionByRange", numPartitions, true);
  LogicalPlan n = planOf(PlanKind::kRepartition);
  n.numPartitions = numPartitions;
  n.exprs = sortOrders(columns);
  std::vector<ExprPtr> parsed;
  for (const Column& c : columns) parsed.push_back(asSortOrder(c));
  return unary(std::move(n), std::move(parsed));
}

DataFrame DataFrame::coalesce(int numPartitions) const {
  checkPartitions("coalesce", numPartitions, false);
  LogicalPlan n = planOf(PlanKind::kRepartition);
  n.numPartitions = numPartitions;
  n.shuffle = false;
  return unary(std::move(n), {});
}

DataFrameNaFunctions DataFrame::na() const { return DataFrameNaFunctions(*this); }

DataFrame DataFrame::describe(const std::vector<std::string>& names) const {
  std::vector<size_t> at;
  for (const std::string& n : names) {
    col(n);  // an unknown name throws AnalysisException
    at.push_back(*schema().find(n));
  }
  if (names.empty()) {
    for (size_t i = 0; i < schema().size(); ++i) {
      const DataType t = schema()[i].dataType;
      if (t.isNumeric() || t.id() == TypeId::kString) at.push_back(i);
    }
  }
  // One job: count, mean, stddev, min and max of every column, in that order.
  std::vector<Column> aggregates;
  for (size_t i : at) {
    const Column c(sql::boundColumn(schema(), i));
    const bool numeric = schema()[i].dataType.isNumeric();
    aggregates.push_back(functions::count(c));
    // A string's mean and stddev are null (Spark's, but for numeric strings).
    const Column number = numeric ? c : functions::nullLiteral(DataType::float64());
    aggregates.push_back(functions::avg(number));
    aggregates.push_back(functions::stddev(number));
    aggregates.push_back(functions::min(c));
    aggregates.push_back(functions::max(c));
  }
  const Row stats = agg(aggregates).first();
  static const char* const kStatistics[] = {"count", "mean", "stddev", "min", "max"};
  std::vector<std::vector<sql::Value>> rows;
  for (size_t s = 0; s < 5; ++s) {
    std::vector<sql::Value> row{sql::Value::string(kStatistics[s])};
    for (size_t k = 0; k < at.size(); ++k) {
      const sql::Value& v = stats.value(k * 5 + s);
      row.push_back(v.isNull() ? sql::Value::null(DataType::string())
                               : sql::Value::string(v.toString()));
    }
    rows.push_back(std::move(row));
  }
  std::vector<StructField> fields{{"summary", DataType::string(), true}};
  for (size_t i : at) fields.push_back({schema()[i].name, DataType::string(), true});
  const sql::PlanPtr plan = sql::localRelation(rows, StructType(std::move(fields)), 1);
  return DataFrame(session_, plan, plan);
}

DataFrame DataFrame::persist(StorageLevel level) const {
  session_->cache->cache(analyzed_, optimizedPlan(), level);
  return *this;
}

DataFrame DataFrame::unpersist(bool blocking) const {
  session_->cache->uncache(analyzed_, blocking);
  return *this;
}

StorageLevel DataFrame::storageLevel() const {
  return session_->cache->levelOf(analyzed_).value_or(StorageLevel::NONE);
}

sql::PlanPtr DataFrame::withCachedData() const { return session_->cache->useCachedData(analyzed_); }

sql::PlanPtr DataFrame::optimizedPlan() const { return sql::optimize(withCachedData()); }

DataFrameWriter DataFrame::write() const { return DataFrameWriter(*this); }

Rdd<sql::Batch> DataFrame::toBatches() const {
  return sql::toRdd(*optimizedPlan(), session_->execution());
}

int64_t DataFrame::count() const {
  return toBatches()
      .map([](const sql::Batch& b) { return static_cast<int64_t>(b.numRows()); })
      .fold(0, [](int64_t a, int64_t b) { return a + b; });
}

std::vector<Row> DataFrame::rowsOf(const std::vector<sql::Batch>& batches, int64_t limit) const {
  auto shared = std::make_shared<const StructType>(schema());
  std::vector<Row> rows;
  for (const sql::Batch& b : batches) {
    for (size_t r = 0; r < b.numRows(); ++r) {
      if (limit >= 0 && static_cast<int64_t>(rows.size()) >= limit) return rows;
      std::vector<sql::Value> values;
      values.reserve(b.numColumns());
      for (size_t c = 0; c < b.numColumns(); ++c) values.push_back(valueAt(b.column(c), r));
      rows.emplace_back(std::move(values), shared);
    }
  }
  return rows;
}

std::vector<Row> DataFrame::collect() const { return rowsOf(toBatches().collect(), -1); }

std::vector<Row> DataFrame::take(int64_t n) const {
  return rowsOf(limit(n).toBatches().collect(), n);
}

Row DataFrame::first() const {
  std::vector<Row> rows = take(1);
  if (rows.empty()) throw Error("first(): the DataFrame has no rows");
  return rows.front();
}

std::string DataFrame::showString(int n, int truncate) const {
  const std::vector<Row> rows = take(static_cast<int64_t>(n) + 1);
  const bool more = rows.size() > static_cast<size_t>(n);
  const size_t shown = std::min(rows.size(), static_cast<size_t>(std::max(n, 0)));
  std::vector<std::vector<std::string>> cells(1);
  for (const StructField& f : schema().fields()) cells[0].push_back(cut(f.name, truncate));
  for (size_t r = 0; r < shown; ++r) {
    cells.emplace_back();
    for (size_t c = 0; c < rows[r].size(); ++c)
      cells.back().push_back(cut(rows[r].value(c).toString(), truncate));
  }
  std::vector<size_t> widths(schema().size(), 3);
  for (const auto& line : cells)
    for (size_t c = 0; c < line.size(); ++c) widths[c] = std::max(widths[c], displayWidth(line[c]));
  std::string sep = "+";
  for (size_t w : widths) sep += std::string(w, '-') + "+";
  sep += "\n";
  std::string out = sep;
  for (size_t r = 0; r < cells.size(); ++r) {
    out += "|";
    for (size_t c = 0; c < cells[r].size(); ++c)
      out += pad(cells[r][c], widths[c], truncate > 0) + "|";
    out += "\n";
    if (r == 0) out += sep;
  }
  out += sep;
  if (more) out += "only showing top " + std::to_string(n) + (n == 1 ? " row\n" : " rows\n");
  return out;
}

void DataFrame::show(int n, bool truncate) const { show(n, truncate ? 20 : 0); }

void DataFrame::show(int n, int truncate) const {
  const std::string text = showString(n, truncate);
  if (session_->ctx->isDriver()) std::cout << text << std::flush;
}

std::string DataFrame::explainString(bool extended) const {
  const PlanPtr optimized = optimizedPlan();
  const std::string physical = sql::physicalPlanString(*optimized, session_->conf->settings());
  if (!extended) return "== Physical Plan ==\n" + physical;
  std::string schemaLine;
  for (size_t i = 0; i < schema().size(); ++i)
    schemaLine += (i ? ", " : "") + schema()[i].name + ": " + schema()[i].dataType.simpleString();
  return "== Parsed Logical Plan ==\n" + parsed_->treeString(true) +
         "\n== Analyzed Logical Plan ==\n" + schemaLine + "\n" + analyzed_->treeString() +
         "\n== Optimized Logical Plan ==\n" + optimized->treeString() + "\n== Physical Plan ==\n" +
         physical;
}

void DataFrame::explain(bool extended) const {
  const std::string text = explainString(extended);
  if (session_->ctx->isDriver()) std::cout << text << std::flush;
}

Rdd<Row> DataFrame::rdd() const {
  auto shared = std::make_shared<const StructType>(schema());
  return toBatches().flatMap([shared](const sql::Batch& b) {
    std::vector<Row> rows;
    rows.reserve(b.numRows());
    for (size_t r = 0; r < b.numRows(); ++r) {
      std::vector<sql::Value> values;
      for (size_t c = 0; c < b.numColumns(); ++c) values.push_back(valueAt(b.column(c), r));
      rows.emplace_back(std::move(values), shared);
    }
    return rows;
  });
}

}  // namespace ember

#include "sql/data_frame.hpp"

#include <algorithm>
#include <iostream>

#include "sql/detail/session_state.hpp"
#include "sql/errors.hpp"
#include "sql/execution/plan_executor.hpp"
#include "sql/functions.hpp"
#include "sql/optimizer/optimizer.hpp"
#include "sql/plan/expression_resolver.hpp"

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

/// `e` under the name `name`, unless it carries that name already.
ExprPtr named(const ExprPtr& e, const std::string& name) {
  if ((e->kind == ExprKind::kBound || e->kind == ExprKind::kAlias) && e->name == name) return e;
  auto alias = std::make_shared<Expr>(*sql::makeAlias(e, name));
  alias->type = e->type;
  alias->nullable = e->nullable;
  alias->resolved = true;
  return alias;
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

Column DataFrame::col(const std::string& name) const {
  sql::resolveExpression(sql::makeColumn(name), schema());  // throws for an unknown name
  return functions::col(name);
}

DataFrame DataFrame::select(const std::vector<Column>& columns) const {
  return projectAs(columns, columns);
}

DataFrame DataFrame::select(const std::vector<std::string>& names) const {
  std::vector<Column> columns;
  for (const std::string& n : names) columns.push_back(functions::col(n));
  return select(columns);
}

DataFrame DataFrame::projectAs(const std::vector<Column>& columns,
                               const std::vector<Column>& parsed) const {
  auto analyzed = node(PlanKind::kProject, analyzed_);
  auto parsedPlan = node(PlanKind::kProject, parsed_);
  std::vector<StructField> fields;
  for (const Column& c : columns) {
    if (isStar(c)) {
      for (size_t i = 0; i < schema().size(); ++i) {
        analyzed->exprs.push_back(
            sql::resolveExpression(sql::makeColumn(schema()[i].name), schema()));
        fields.push_back(schema()[i]);
      }
      continue;
    }
    const ExprPtr e = sql::resolveExpression(c.expr(), schema());
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
  std::vector<Column> columns;
  bool replaced = false;
  for (const StructField& f : schema().fields()) {
    if (schema().find(name) == schema().find(f.name)) {
      columns.push_back(value.alias(name));
      replaced = true;
    } else {
      columns.push_back(functions::col(f.name));
    }
  }
  if (!replaced) columns.push_back(value.alias(name));
  return projectAs(columns, {functions::col("*"), value.alias(name)});
}

DataFrame DataFrame::withColumnRenamed(const std::string& existing,
                                       const std::string& renamed) const {
  const auto at = schema().find(existing);
  if (!at) return *this;  // as Spark: renaming a missing column is no change
  std::vector<Column> columns;
  for (size_t i = 0; i < schema().size(); ++i) {
    Column c = functions::col(schema()[i].name);
    columns.push_back(i == *at ? c.alias(renamed) : c);
  }
  return projectAs(columns, columns);
}

DataFrame DataFrame::drop(const std::vector<std::string>& names) const {
  std::vector<Column> columns;
  for (const StructField& f : schema().fields()) {
    const bool dropped = std::any_of(names.begin(), names.end(), [&](const std::string& n) {
      return schema().find(n) == schema().find(f.name);
    });
    if (!dropped) columns.push_back(functions::col(f.name));
  }
  return projectAs(columns, columns);
}

DataFrame DataFrame::filter(const Column& condition) const {
  ExprPtr c = sql::resolveExpression(condition.expr(), schema());
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

sql::PlanPtr DataFrame::optimizedPlan() const { return sql::optimize(analyzed_); }

Rdd<sql::Batch> DataFrame::toBatches() const {
  return sql::toRdd(*optimizedPlan(), *session_->ctx);
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
  std::string physical;
  // Narrow operators run fused in one stage, as Spark's whole-stage codegen
  // marks them: "*(1) ".
  std::string tree = optimized->treeString();
  size_t start = 0;
  while (start < tree.size()) {
    size_t end = tree.find('\n', start);
    std::string line = tree.substr(start, end - start);
    const size_t text = line.find_first_not_of(" :+-");
    physical += line.substr(0, text) + "*(1) " + line.substr(text) + "\n";
    start = end + 1;
  }
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

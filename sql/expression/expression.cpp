#include "sql/expression/expression.hpp"

namespace ember::sql {
namespace {

std::shared_ptr<Expr> node(ExprKind kind) {
  auto e = std::make_shared<Expr>();
  e->kind = kind;
  return e;
}

std::string literalText(const Value& v) {
  if (v.type.id() == TypeId::kString && !v.isNull()) return v.toString();
  if (v.type.id() == TypeId::kNull || v.isNull()) return "NULL";
  if (v.type.id() == TypeId::kDate) return "DATE '" + v.toString() + "'";
  if (v.type.id() == TypeId::kTimestamp) return "TIMESTAMP '" + v.toString() + "'";
  return v.toString();
}

std::string caseWhenText(const Expr& e, bool parsed) {
  std::string out = "CASE";
  size_t i = 0;
  for (; i + 1 < e.children.size(); i += 2)
    out +=
        " WHEN " + e.children[i]->toString(parsed) + " THEN " + e.children[i + 1]->toString(parsed);
  if (i < e.children.size()) out += " ELSE " + e.children[i]->toString(parsed);
  return out + " END";
}

/// Spark's plan text of a window expression: "sum(x)
/// windowspecdefinition(k, t ASC NULLS FIRST, specifiedwindowframe(...))".
std::string windowText(const Expr& e, bool parsed) {
  std::string spec;
  for (size_t i = 1; i < e.children.size(); ++i) spec += e.children[i]->toString(parsed) + ", ";
  const WindowFrame& f = e.window->frame;
  return e.children[0]->toString(parsed) + " windowspecdefinition(" + spec +
         (f.specified ? f.planString() : "unspecifiedframe$()") + ")";
}

/// The name Spark gives an unaliased window column: "sum(x) OVER
/// (PARTITION BY k ORDER BY t ASC NULLS FIRST RANGE BETWEEN ...)".
std::string windowName(const Expr& e) {
  const size_t keys = e.window->partitionCount;
  std::string over;
  for (size_t i = 1; i < e.children.size(); ++i) {
    if (i == 1) over += keys ? "PARTITION BY " : "ORDER BY ";
    if (i == 1 + keys && keys) over += " ORDER BY ";
    if (i != 1 && i != 1 + keys) over += ", ";
    over += e.children[i]->toString();
  }
  if (e.window->frame.specified) over += (over.empty() ? "" : " ") + e.window->frame.sqlString();
  return e.children[0]->toString() + " OVER (" + over + ")";
}

}  // namespace

const char* opSymbol(Op op) {
  switch (op) {
    case Op::kAdd:
      return "+";
    case Op::kSub:
      return "-";
    case Op::kMul:
      return "*";
    case Op::kDiv:
      return "/";
    case Op::kMod:
      return "%";
    case Op::kEq:
      return "=";
    case Op::kNe:
      return "!=";
    case Op::kLt:
      return "<";
    case Op::kLe:
      return "<=";
    case Op::kGt:
      return ">";
    case Op::kGe:
      return ">=";
    case Op::kEqNullSafe:
      return "<=>";
    case Op::kAnd:
      return "AND";
    case Op::kOr:
      return "OR";
    case Op::kNot:
      return "NOT";
    case Op::kNegate:
      return "-";
    case Op::kIsNull:
      return "IS NULL";
    case Op::kIsNotNull:
      return "IS NOT NULL";
    case Op::kNone:
      break;
  }
  return "?";
}

bool isComparison(Op op) { return op >= Op::kEq && op <= Op::kEqNullSafe; }
bool isArithmetic(Op op) { return op >= Op::kAdd && op <= Op::kMod; }

std::string Expr::toString(bool parsed) const {
  switch (kind) {
    case ExprKind::kColumn:
      return parsed ? "'" + name : name;
    case ExprKind::kBound:
      return name;
    case ExprKind::kLiteral:
      return literalText(literal);
    case ExprKind::kAlias:
      return children[0]->toString(parsed) + " AS " + name;
    case ExprKind::kCast:
      return "CAST(" + children[0]->toString(parsed) + " AS " + type.sqlName() + ")";
    case ExprKind::kUnary:
      if (op == Op::kIsNull || op == Op::kIsNotNull)
        return "(" + children[0]->toString(parsed) + " " + opSymbol(op) + ")";
      if (op == Op::kNegate) return "(- " + children[0]->toString(parsed) + ")";
      return "(NOT " + children[0]->toString(parsed) + ")";
    case ExprKind::kBinary:
      return "(" + children[0]->toString(parsed) + " " + opSymbol(op) + " " +
             children[1]->toString(parsed) + ")";
    case ExprKind::kCaseWhen:
      return caseWhenText(*this, parsed);
    case ExprKind::kFunction:
    case ExprKind::kGenerator:
    case ExprKind::kWindowFunction:
      return name + "(" + sql::toString(children, parsed) + ")";
    case ExprKind::kWindow:
      return windowText(*this, parsed);
    case ExprKind::kAggregate:
      if (children.empty()) return name + "(1)";
      return name + "(" + (distinct ? "DISTINCT " : "") + sql::toString(children, parsed) + ")";
    case ExprKind::kSortOrder:
      return children[0]->toString(parsed) + (ascending ? " ASC" : " DESC") +
             (nullsFirst ? " NULLS FIRST" : " NULLS LAST");
    case ExprKind::kSubquery:
      if (name == "in") return "(" + sql::toString(children, parsed) + ") IN (subquery)";
      return name == "exists" ? "exists(subquery)" : "scalar-subquery";
  }
  return "?";
}

std::string toString(const std::vector<ExprPtr>& exprs, bool parsed) {
  std::string out;
  for (size_t i = 0; i < exprs.size(); ++i) {
    if (i) out += ", ";
    out += exprs[i]->toString(parsed);
  }
  return out;
}

std::string fingerprint(const Expr& e) {
  if (e.kind == ExprKind::kBound) return "#" + std::to_string(e.index);
  std::string s = std::to_string(static_cast<int>(e.kind)) + ":" +
                  std::to_string(static_cast<int>(e.op)) + ":" + e.name;
  if (e.kind == ExprKind::kLiteral)
    s += ":" + e.literal.type.sqlName() + ":" + e.literal.toString();
  if (e.kind == ExprKind::kCast) s += ":" + e.type.sqlName();
  if (e.distinct) s += ":distinct";
  if (e.kind == ExprKind::kSortOrder)
    s += std::string(e.ascending ? ":a" : ":d") + (e.nullsFirst ? "f" : "l");
  s += "(";
  for (const ExprPtr& c : e.children) s += fingerprint(*c) + ",";
  return s + ")";
}

std::string Expr::outputName() const {
  if (kind == ExprKind::kAlias || kind == ExprKind::kColumn || kind == ExprKind::kBound) {
    const size_t dot = name.rfind('.');
    return kind == ExprKind::kColumn && dot != std::string::npos ? name.substr(dot + 1) : name;
  }
  if (kind == ExprKind::kWindow) return windowName(*this);
  return toString();
}

ExprPtr makeColumn(std::string name) {
  auto e = node(ExprKind::kColumn);
  e->name = std::move(name);
  return e;
}

ExprPtr makeLiteral(Value v) {
  auto e = node(ExprKind::kLiteral);
  e->type = v.type;
  e->nullable = v.isNull();
  e->literal = std::move(v);
  return e;
}

ExprPtr makeAlias(ExprPtr child, std::string name) {
  auto e = node(ExprKind::kAlias);
  e->name = std::move(name);
  e->children = {std::move(child)};
  return e;
}

ExprPtr makeCast(ExprPtr child, DataType type) {
  auto e = node(ExprKind::kCast);
  e->type = type;
  e->children = {std::move(child)};
  return e;
}

ExprPtr makeUnary(Op op, ExprPtr child) {
  auto e = node(ExprKind::kUnary);
  e->op = op;
  e->children = {std::move(child)};
  return e;
}

ExprPtr makeBinary(Op op, ExprPtr left, ExprPtr right) {
  auto e = node(ExprKind::kBinary);
  e->op = op;
  e->children = {std::move(left), std::move(right)};
  return e;
}

ExprPtr makeFunction(std::string name, std::vector<ExprPtr> args) {
  auto e = node(ExprKind::kFunction);
  e->name = std::move(name);
  e->children = std::move(args);
  return e;
}

ExprPtr makeAggregate(std::string name, std::vector<ExprPtr> args, bool distinct) {
  auto e = node(ExprKind::kAggregate);
  e->name = std::move(name);
  e->children = std::move(args);
  e->distinct = distinct;
  return e;
}

ExprPtr makeSortOrder(ExprPtr child, bool ascending, bool nullsFirst) {
  auto e = node(ExprKind::kSortOrder);
  e->children = {std::move(child)};
  e->ascending = ascending;
  e->nullsFirst = nullsFirst;
  return e;
}

ExprPtr makeCaseWhen(std::vector<ExprPtr> branches) {
  auto e = node(ExprKind::kCaseWhen);
  e->children = std::move(branches);
  return e;
}

ExprPtr makeGenerator(std::string name, ExprPtr child) {
  auto e = node(ExprKind::kGenerator);
  e->name = std::move(name);
  e->children = {std::move(child)};
  return e;
}

const Expr* generatorOf(const Expr& e) {
  const Expr* g = &e;
  while (g->kind == ExprKind::kAlias) g = g->children[0].get();
  return g->kind == ExprKind::kGenerator ? g : nullptr;
}

bool hasGenerator(const Expr& e) {
  if (e.kind == ExprKind::kGenerator) return true;
  for (const ExprPtr& c : e.children)
    if (hasGenerator(*c)) return true;
  return false;
}

ExprPtr makeWindowFunction(std::string name, std::vector<ExprPtr> args) {
  auto e = node(ExprKind::kWindowFunction);
  e->name = std::move(name);
  e->children = std::move(args);
  return e;
}

ExprPtr makeWindow(ExprPtr function, const std::vector<ExprPtr>& partition,
                   const std::vector<ExprPtr>& orders, WindowFrame frame) {
  auto e = node(ExprKind::kWindow);
  e->children = {std::move(function)};
  e->children.insert(e->children.end(), partition.begin(), partition.end());
  e->children.insert(e->children.end(), orders.begin(), orders.end());
  e->window = std::make_shared<const WindowDefinition>(WindowDefinition{partition.size(), frame});
  return e;
}

bool hasWindow(const Expr& e) {
  if (e.kind == ExprKind::kWindow) return true;
  for (const ExprPtr& c : e.children)
    if (hasWindow(*c)) return true;
  return false;
}

}  // namespace ember::sql

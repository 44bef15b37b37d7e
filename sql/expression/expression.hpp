#pragma once
// Expr: a node of a column expression, unresolved as the user wrote it or
// resolved (bound to input columns, typed) by the analyzer.

#include <memory>
#include <string>
#include <vector>

#include "sql/expression/window_frame.hpp"
#include "sql/types/data_type.hpp"
#include "sql/types/value.hpp"

namespace ember::sql {

enum class ExprKind : uint8_t {
  kColumn,     ///< unresolved: `name` ("amount", "t.amount", "*" for every column)
  kBound,      ///< resolved: input column `index`, named `name`
  kLiteral,    ///< `literal`
  kAlias,      ///< children[0] named `name`
  kCast,       ///< children[0] converted to `type`
  kUnary,      ///< `op` of children[0]
  kBinary,     ///< children[0] `op` children[1]
  kCaseWhen,   ///< when/then pairs, then the else value when there is one
  kFunction,   ///< scalar function `name` of children
  kAggregate,  ///< aggregate function `name` of children (count(*) has none)
  kSortOrder,  ///< children[0], `ascending`, `nullsFirst`
  kGenerator,  ///< `name` (explode, explode_outer) of children[0]: rows, not a value
  /// SQL's subquery as a value: `name` "scalar", "exists", or "in"
  /// (children: the values compared with its columns); `subquery` holds
  /// the query. The planner rewrites it into a join before analysis.
  kSubquery,
  /// A ranking or offset function `name` of children (row_number, lag, ...):
  /// only under a kWindow.
  kWindowFunction,
  /// children[0] (an aggregate or a kWindowFunction) over a window whose
  /// shape `window` gives: partition keys, then sort orders, in children.
  kWindow,
};

enum class Op : uint8_t {
  kNone,
  kAdd,
  kSub,
  kMul,
  kDiv,
  kMod,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kEqNullSafe,
  kAnd,
  kOr,
  kNot,
  kNegate,
  kIsNull,
  kIsNotNull,
};

struct QueryNode;  // sql/parser/query_node.hpp

struct Expr;
using ExprPtr = std::shared_ptr<const Expr>;

/// Immutable once built; shared between plans.
struct Expr {
  ExprKind kind = ExprKind::kLiteral;
  Op op = Op::kNone;
  std::string name;
  Value literal;
  DataType type;          ///< the result type, once resolved
  bool resolved = false;  ///< bound and typed by the analyzer
  bool nullable = true;
  int index = -1;  ///< kBound: the input column
  /// kColumn taken as df["x"]: the id of df's plan, which a join's
  /// inputs are searched by; 0 for F::col.
  uint64_t planId = 0;
  bool ascending = true;
  bool nullsFirst = true;
  bool distinct = false;  ///< kAggregate: countDistinct and friends
  std::vector<ExprPtr> children;
  std::shared_ptr<const QueryNode> subquery;       ///< kSubquery
  std::shared_ptr<const WindowDefinition> window;  ///< kWindow

  /// The expression as Spark prints it in a plan and names an unaliased
  /// column: "(amount * 2)", "sum(amount)", "CAST(id AS STRING)".
  /// `parsed`: as the parsed plan shows it, unresolved names quoted 'name.
  std::string toString(bool parsed = false) const;
  /// The output column name: the alias, the column's name, or toString().
  std::string outputName() const;
};

/// The expressions as toString prints them, separated by ", ".
std::string toString(const std::vector<ExprPtr>& exprs, bool parsed = false);

ExprPtr makeColumn(std::string name);
ExprPtr makeLiteral(Value v);
ExprPtr makeAlias(ExprPtr child, std::string name);
ExprPtr makeCast(ExprPtr child, DataType type);
ExprPtr makeUnary(Op op, ExprPtr child);
ExprPtr makeBinary(Op op, ExprPtr left, ExprPtr right);
ExprPtr makeFunction(std::string name, std::vector<ExprPtr> args);
ExprPtr makeAggregate(std::string name, std::vector<ExprPtr> args, bool distinct = false);
ExprPtr makeSortOrder(ExprPtr child, bool ascending, bool nullsFirst);
ExprPtr makeCaseWhen(std::vector<ExprPtr> branches);
ExprPtr makeGenerator(std::string name, ExprPtr child);

/// A text of `e` that tells apart what toString does not: bound columns by
/// position (two `id` columns of a join differ), literals by type. Equal
/// for equal expressions, so it matches GROUP BY keys and aggregate calls.
std::string fingerprint(const Expr& e);

/// The generator `e` is, under its aliases, or nullptr.
const Expr* generatorOf(const Expr& e);
/// Whether `e` calls a generator anywhere.
bool hasGenerator(const Expr& e);

ExprPtr makeWindowFunction(std::string name, std::vector<ExprPtr> args);
ExprPtr makeWindow(ExprPtr function, const std::vector<ExprPtr>& partition,
                   const std::vector<ExprPtr>& orders, WindowFrame frame);
/// Whether `e` holds a window expression (kWindow) anywhere.
bool hasWindow(const Expr& e);

/// The SQL symbol of a binary or unary operator: "+", "=", "AND", "NOT".
const char* opSymbol(Op op);
bool isComparison(Op op);
bool isArithmetic(Op op);

}  // namespace ember::sql

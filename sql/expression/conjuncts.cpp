#include "sql/expression/conjuncts.hpp"

namespace ember::sql {

namespace {

void split(const ExprPtr& e, Op op, std::vector<ExprPtr>& out) {
  if (e->kind == ExprKind::kBinary && e->op == op) {
    split(e->children[0], op, out);
    split(e->children[1], op, out);
    return;
  }
  out.push_back(e);
}

/// The parts joined by `op` (AND, OR), resolved as they are.
ExprPtr combine(const std::vector<ExprPtr>& parts, Op op) {
  if (parts.empty()) return nullptr;
  ExprPtr all = parts[0];
  for (size_t i = 1; i < parts.size(); ++i) {
    auto both = std::make_shared<Expr>(*makeBinary(op, all, parts[i]));
    both->type = DataType::boolean();
    both->nullable = all->nullable || parts[i]->nullable;
    both->resolved = true;
    all = both;
  }
  return all;
}

}  // namespace

void splitConjuncts(const ExprPtr& e, std::vector<ExprPtr>& out) { split(e, Op::kAnd, out); }
void splitDisjuncts(const ExprPtr& e, std::vector<ExprPtr>& out) { split(e, Op::kOr, out); }
ExprPtr conjunction(const std::vector<ExprPtr>& parts) { return combine(parts, Op::kAnd); }
ExprPtr disjunction(const std::vector<ExprPtr>& parts) { return combine(parts, Op::kOr); }

int sidesRead(const Expr& e, size_t leftWidth) {
  if (e.kind == ExprKind::kBound) return static_cast<size_t>(e.index) < leftWidth ? 1 : 2;
  int sides = 0;
  for (const ExprPtr& c : e.children) sides |= sidesRead(*c, leftWidth);
  return sides;
}

ExprPtr shiftColumns(const ExprPtr& e, int by) {
  if (e->kind != ExprKind::kBound && e->children.empty()) return e;
  auto copy = std::make_shared<Expr>(*e);
  if (e->kind == ExprKind::kBound) copy->index -= by;
  for (ExprPtr& c : copy->children) c = shiftColumns(c, by);
  return copy;
}

}  // namespace ember::sql

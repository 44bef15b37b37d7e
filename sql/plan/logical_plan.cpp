#include "sql/plan/logical_plan.hpp"

namespace ember::sql {
namespace {

std::string exprList(const std::vector<ExprPtr>& exprs, bool parsed) {
  std::string out = "[";
  for (size_t i = 0; i < exprs.size(); ++i) {
    if (i) out += ", ";
    out += exprs[i]->toString(parsed);
  }
  return out + "]";
}

void appendTree(const LogicalPlan& p, bool parsed, const std::string& prefix, bool last, bool root,
                std::string& out) {
  out += root ? "" : prefix + (last ? "+- " : ":- ");
  out += (parsed && p.kind != PlanKind::kLocalRelation && p.kind != PlanKind::kRange ? "'" : "") +
         p.nodeString(parsed) + "\n";
  const std::string childPrefix = root ? "" : prefix + (last ? "   " : ":  ");
  for (size_t i = 0; i < p.children.size(); ++i)
    appendTree(*p.children[i], parsed, childPrefix, i + 1 == p.children.size(), false, out);
}

}  // namespace

std::string LogicalPlan::nodeString(bool parsed) const {
  switch (kind) {
    case PlanKind::kLocalRelation: {
      std::string cols;
      for (size_t i = 0; i < schema.size(); ++i) cols += (i ? ", " : "") + schema[i].name;
      return "LocalRelation [" + cols + "]";
    }
    case PlanKind::kRange:
      return "Range (" + std::to_string(start) + ", " + std::to_string(end) +
             ", step=" + std::to_string(step) + ", splits=" + std::to_string(numPartitions) + ")";
    case PlanKind::kProject:
      return "Project " + exprList(exprs, parsed);
    case PlanKind::kFilter:
      return "Filter " + exprs[0]->toString(parsed);
    case PlanKind::kLimit:
      return "GlobalLimit " + std::to_string(limit);
    case PlanKind::kAggregate: {
      const auto split = exprs.begin() + static_cast<std::ptrdiff_t>(groupCount);
      return "Aggregate " + exprList({exprs.begin(), split}, parsed) + ", " +
             exprList({split, exprs.end()}, parsed);
    }
  }
  return "?";
}

std::string LogicalPlan::treeString(bool parsed) const {
  std::string out;
  appendTree(*this, parsed, "", true, true, out);
  return out;
}

}  // namespace ember::sql

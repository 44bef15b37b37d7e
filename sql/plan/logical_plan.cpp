#include "sql/plan/logical_plan.hpp"

#include <atomic>

#include "sql/plan/file_scan.hpp"
#include "sql/plan/generate.hpp"
#include "sql/plan/tree_string.hpp"
#include "sql/plan/window.hpp"

namespace ember::sql {
namespace {

std::string exprList(const std::vector<ExprPtr>& exprs, bool parsed) {
  return "[" + toString(exprs, parsed) + "]";
}

std::string columnList(const StructType& schema) {
  std::string cols;
  for (size_t i = 0; i < schema.size(); ++i) cols += (i ? ", " : "") + schema[i].name;
  return "[" + cols + "]";
}

/// As Spark's InMemoryRelation prints it: "disk, memory, deserialized, 1 replicas".
std::string levelString(const StorageLevel& level) {
  std::string out;
  if (level.useDisk) out += "disk, ";
  if (level.useMemory) out += "memory, ";
  if (level.deserialized) out += "deserialized, ";
  return out + "1 replicas";
}

std::string repartitionString(const LogicalPlan& p, bool parsed) {
  const std::string n = p.numPartitions > 0 ? ", " + std::to_string(p.numPartitions) : "";
  if (p.exprs.empty())
    return "Repartition " + std::to_string(p.numPartitions) + (p.shuffle ? ", true" : ", false");
  return "RepartitionByExpression " + exprList(p.exprs, parsed) + n;
}

}  // namespace

std::string LogicalPlan::nodeString(bool parsed) const {
  switch (kind) {
    case PlanKind::kLocalRelation:
      return "LocalRelation " + columnList(schema);
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
    case PlanKind::kJoin: {
      std::string s = std::string("Join ") + joinTypeName(joinType);
      if (!exprs.empty()) s += ", " + exprs[0]->toString(parsed);
      if (children[0]->broadcastHint) s += ", leftHint=(strategy=broadcast)";
      if (children[1]->broadcastHint) s += ", rightHint=(strategy=broadcast)";
      return s;
    }
    case PlanKind::kUnion:
      return "Union";
    case PlanKind::kSort:
      return "Sort " + exprList(exprs, parsed) + (global ? ", true" : ", false");
    case PlanKind::kSample:
      return "Sample 0.0, " + formatDouble(fraction) +
             (withReplacement ? ", true, " : ", false, ") + std::to_string(seed);
    case PlanKind::kRepartition:
      return repartitionString(*this, parsed);
    case PlanKind::kExistingRdd:
      return "LogicalRDD " + columnList(schema) + ", false";
    case PlanKind::kCached:
      return "InMemoryRelation " + columnList(schema) + ", StorageLevel(" +
             levelString(storageLevel) + ")";
    case PlanKind::kScan:
      return scan->nodeString();
    case PlanKind::kGenerate:
      return generateString(*this);
    case PlanKind::kWindow:
      return windowString(*this);
  }
  return "?";
}

bool LogicalPlan::contains(uint64_t planId) const {
  if (id == planId) return true;
  for (const PlanPtr& c : children)
    if (c->contains(planId)) return true;
  return false;
}

uint64_t LogicalPlan::nextId() {
  static std::atomic<uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

std::string LogicalPlan::treeString(bool parsed) const {
  std::string out;
  appendTree(
      *this,
      [parsed](const LogicalPlan& p) {
        const bool quoted = parsed && p.kind != PlanKind::kLocalRelation &&
                            p.kind != PlanKind::kRange && p.kind != PlanKind::kScan;
        return (quoted ? "'" : "") + p.nodeString(parsed);
      },
      [](const LogicalPlan& p) -> const std::vector<PlanPtr>& { return p.children; }, out);
  return out;
}

}  // namespace ember::sql

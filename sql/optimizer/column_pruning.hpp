#pragma once
// ColumnPruning: a file scan reads only the columns the plan above it uses.

#include "sql/plan/logical_plan.hpp"

namespace ember::sql {

/// At a projection or an aggregation, which compute their output from
/// their expressions alone: the scans below it (through filters, limits,
/// sorts, samples, repartitions, joins and projections) are narrowed to the
/// columns used on the way up, the bound references above them renumbered,
/// and a projection left selecting exactly its input's columns removed.
/// `p` itself when nothing narrows.
PlanPtr pruneColumns(const PlanPtr& p);

}  // namespace ember::sql

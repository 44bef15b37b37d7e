#pragma once
// LogicalPlan: a node of a DataFrame's plan, what to compute, not how.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sql/expression/expression.hpp"
#include "sql/plan/join_type.hpp"
#include "sql/types/batch.hpp"
#include "sql/types/struct_type.hpp"
#include "storage/storage_level.hpp"

namespace ember::sql {

enum class PlanKind : uint8_t {
  kLocalRelation,  ///< rows given by the program (createDataFrame)
  kRange,          ///< spark.range
  kProject,        ///< exprs: the output columns
  kFilter,         ///< exprs[0]: the condition
  kLimit,          ///< the first `limit` rows
  kAggregate,      ///< exprs: `groupCount` keys, then aggregate calls
  kJoin,           ///< children: left, right; exprs: the condition, if any
  kUnion,          ///< children's rows, one after the other (columns by position)
  kSort,           ///< exprs: sort orders; `global`: across partitions, or within each
  kSample,         ///< a random `fraction` of the rows
  kRepartition,    ///< `numPartitions` partitions; exprs: hash (or range) keys, if any
  kCached,         ///< InMemoryRelation: the rows of `cached`, persisted
  kExistingRdd,    ///< the batches of `existing`, an RDD's rows (createDataFrame)
  kScan,           ///< files read by a data source (`scan`)
  /// exprs[0]: a generator (explode) of the child's rows; exprs[1..]: the
  /// child's columns passed through, each repeated for its row's elements,
  /// which come last
  kGenerate,
  /// exprs: window expressions (aliased kWindow) sharing partition keys and
  /// orders; the output is the child's columns, then one per expression
  kWindow,
};

/// A persisted DataFrame's rows (sql/execution/cache_manager.hpp).
struct CachedData;
/// An RDD's rows as batches (sql/plan/existing_rdd.hpp).
struct ExistingRdd;

struct LogicalPlan;
struct FileScan;  // sql/plan/file_scan.hpp
using PlanPtr = std::shared_ptr<const LogicalPlan>;

/// Rows held by a LocalRelation, already cut into partitions of batches.
struct LocalData {
  std::vector<std::vector<Batch>> partitions;
  int64_t rows = 0;
};

/// Immutable; plans share their subtrees. The same type holds a parsed
/// plan (`exprs` as the user wrote them) and an analyzed one (`exprs`
/// resolved against the child's `schema`).
struct LogicalPlan {
  PlanKind kind = PlanKind::kLocalRelation;
  StructType schema;  ///< the output columns (analyzed plans)
  std::vector<ExprPtr> exprs;
  std::vector<PlanPtr> children;
  std::shared_ptr<const LocalData> local;  ///< kLocalRelation
  int64_t start = 0, end = 0, step = 1;    ///< kRange
  int numPartitions = 1;                   ///< leaves
  int64_t limit = 0;                       ///< kLimit
  size_t groupCount = 0;                   ///< kAggregate
  JoinType joinType = JoinType::kInner;    ///< kJoin
  /// kSort: orderBy (true) or sortWithinPartitions; kRepartition:
  /// repartitionByRange (true) or by hash.
  bool global = true;
  double fraction = 0;           ///< kSample
  bool withReplacement = false;  ///< kSample
  uint64_t seed = 0;             ///< kSample
  /// kRepartition: an exchange (repartition), or coalesce's narrow merge.
  bool shuffle = true;
  std::shared_ptr<const CachedData> cached;     ///< kCached
  StorageLevel storageLevel;                    ///< kCached: cached's level
  std::shared_ptr<const ExistingRdd> existing;  ///< kExistingRdd
  std::shared_ptr<const FileScan> scan;         ///< kScan
  /// broadcast(df): joins broadcast this side whatever its size.
  bool broadcastHint = false;
  /// Names the DataFrame whose plan this is, for its columns df["x"].
  uint64_t id = nextId();

  const LogicalPlan& child() const { return *children[0]; }
  /// Whether the plan of DataFrame `planId` is this node or under it.
  bool contains(uint64_t planId) const;
  static uint64_t nextId();

  /// The plan as Spark's explain prints it: one node a line, children
  /// under "+- " and ":- ". `parsed` quotes unresolved names.
  std::string treeString(bool parsed = false) const;
  /// This node alone: "Filter (amount > 100)", "Range (0, 10, step=1, splits=2)".
  std::string nodeString(bool parsed = false) const;
};

}  // namespace ember::sql

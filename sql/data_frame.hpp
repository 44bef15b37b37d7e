#pragma once
// DataFrame: a lazy, optimized query over rows with a schema, as pyspark's.

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "sql/column.hpp"
#include "sql/plan/logical_plan.hpp"
#include "sql/row.hpp"
#include "sql/types/struct_type.hpp"
#include "storage/storage_level.hpp"

namespace ember {

namespace sql {
struct SessionState;
struct InputScope;
}  // namespace sql
class GroupedData;
class DataFrameNaFunctions;
class DataFrameWriter;
template <class T>
class Rdd;  // rdd(): a caller that uses the Rdd includes rdd/rdd.hpp

/// A distributed collection of rows with named, typed columns. Operations
/// return a new DataFrame at once, having checked it (an unknown column or
/// a type error throws AnalysisException here, before any job); actions
/// (count, collect, show, ...) optimize the plan and run it as RDD stages
/// of columnar batches.
///
/// A cheap handle: copies share their plan. Thread safety: const methods
/// may be called concurrently. The Context its Session was made from must
/// outlive it.
class DataFrame {
 public:
  DataFrame(std::shared_ptr<const sql::SessionState> session, sql::PlanPtr parsed,
            sql::PlanPtr analyzed)
      : session_(std::move(session)), parsed_(std::move(parsed)), analyzed_(std::move(analyzed)) {}

  // ---- Schema ----
  const StructType& schema() const { return analyzed_->schema; }
  std::vector<std::string> columns() const { return schema().fieldNames(); }
  /// Names and Spark's simple type strings: {"id", "bigint"}.
  std::vector<std::pair<std::string, std::string>> dtypes() const;
  /// Prints schema().treeString() on the driver's stdout.
  void printSchema() const;
  /// The column named `name` of this DataFrame.
  Column operator[](const std::string& name) const { return col(name); }
  Column col(const std::string& name) const;

  // ---- Transformations ----
  DataFrame select(const std::vector<Column>& columns) const;
  /// select(F::col("a"), "b", F::col("c") + 1): columns or column names.
  template <ColumnOrName... Cs>
  requires(sizeof...(Cs) > 0) DataFrame select(const Cs&... columns)
  const { return select(std::vector<Column>{toColumn(columns)...}); }
  DataFrame select(const std::vector<std::string>& names) const;
  /// Adds a column, or replaces the one of that name (in its place).
  DataFrame withColumn(const std::string& name, const Column& value) const;
  DataFrame withColumnRenamed(const std::string& existing, const std::string& renamed) const;
  /// Without the named columns; names that do not exist are ignored, as in Spark.
  DataFrame drop(const std::vector<std::string>& names) const;
  template <class... Ss>
  DataFrame drop(const std::string& name, const Ss&... more) const {
    return drop(std::vector<std::string>{name, std::string(more)...});
  }
  /// The rows where `condition` is true (not false, not null).
  DataFrame filter(const Column& condition) const;
  DataFrame where(const Column& condition) const { return filter(condition); }
  /// The rows where a SQL condition holds: filter("amount > 100 AND cust IS NOT NULL").
  DataFrame filter(const std::string& condition) const;
  DataFrame where(const std::string& condition) const { return filter(condition); }
  /// select of SQL expressions: selectExpr("cust", "amount * 2 AS doubled").
  DataFrame selectExpr(const std::vector<std::string>& exprs) const;
  template <class... Ss>
  requires(std::is_convertible_v<const Ss&, std::string>&&...) DataFrame
      selectExpr(const std::string& first, const Ss&... more)
  const { return selectExpr(std::vector<std::string>{first, std::string(more)...}); }
  /// The first `n` rows.
  DataFrame limit(int64_t n) const;
  /// The rows grouped by `keys` (columns or names), for agg() and friends.
  GroupedData groupBy(const std::vector<Column>& keys) const;
  GroupedData groupBy(const std::vector<std::string>& keys) const;
  template <ColumnOrName... Cs>
  GroupedData groupBy(const Cs&... keys) const;
  /// Aggregates over all rows: one row, also for an empty DataFrame.
  DataFrame agg(const std::vector<Column>& aggregates) const;
  template <class... Cs>
  DataFrame agg(const Column& first, const Cs&... rest) const {
    return agg(std::vector<Column>{first, rest...});
  }

  // ---- Joins, set operations ----
  /// Joined on the column `on` both have, which the output holds once,
  /// first. `how`: inner, left, right, full (outer), left_semi, left_anti,
  /// cross, and Spark's other spellings of them.
  DataFrame join(const DataFrame& other, const std::string& on,
                 const std::string& how = "inner") const;
  DataFrame join(const DataFrame& other, const std::vector<std::string>& on,
                 const std::string& how = "inner") const;
  DataFrame join(const DataFrame& other, std::initializer_list<std::string> on,
                 const std::string& how = "inner") const {
    return join(other, std::vector<std::string>(on), how);
  }
  /// Joined where `on` is true: df.join(other, df["id"] == other["id"], "left").
  /// The output has this DataFrame's columns, then other's.
  DataFrame join(const DataFrame& other, const Column& on, const std::string& how = "inner") const;
  /// Every row paired with every row of `other`.
  DataFrame join(const DataFrame& other) const { return crossJoin(other); }
  DataFrame crossJoin(const DataFrame& other) const;
  /// The same rows, marked for joins: "broadcast" ships them whole to every
  /// task of the other side, whatever their estimated size. Other hints
  /// are ignored, as Spark ignores hints it does not know.
  DataFrame hint(const std::string& name) const;
  /// This DataFrame's rows, then other's, matched by position; the types
  /// widen as Spark's (int and bigint give bigint). Duplicates are kept.
  DataFrame union_(const DataFrame& other) const;
  DataFrame unionAll(const DataFrame& other) const { return union_(other); }
  /// As union_, other's columns matched by name; a column missing from one
  /// side is an error, or null there when `allowMissingColumns`.
  DataFrame unionByName(const DataFrame& other, bool allowMissingColumns = false) const;
  /// Each distinct row once.
  DataFrame distinct() const;
  /// The first row of each distinct value of `subset` (all columns when empty).
  DataFrame dropDuplicates(const std::vector<std::string>& subset = {}) const;

  // ---- Order, sampling, partitioning ----
  /// Sorted across partitions by `columns` (names or Columns, asc() unless
  /// they say desc()); nulls first when ascending, last when descending,
  /// as Spark. Computed as Spark does: a range exchange whose bounds come
  /// from a sample of the keys (a job of its own), then an external sort
  /// of each partition within the memory budget.
  DataFrame orderBy(const std::vector<Column>& columns) const;
  template <ColumnOrName... Cs>
  requires(sizeof...(Cs) > 0) DataFrame orderBy(const Cs&... columns)
  const { return orderBy(std::vector<Column>{toColumn(columns)...}); }
  DataFrame sort(const std::vector<Column>& columns) const { return orderBy(columns); }
  template <ColumnOrName... Cs>
  requires(sizeof...(Cs) > 0) DataFrame sort(const Cs&... columns)
  const { return orderBy(std::vector<Column>{toColumn(columns)...}); }
  /// Each partition sorted by itself, without an exchange.
  DataFrame sortWithinPartitions(const std::vector<Column>& columns) const;
  template <ColumnOrName... Cs>
  requires(sizeof...(Cs) > 0) DataFrame sortWithinPartitions(const Cs&... columns)
  const { return sortWithinPartitions(std::vector<Column>{toColumn(columns)...}); }
  /// Each row kept with probability `fraction` (Bernoulli sampling), or,
  /// with replacement, repeated a Poisson(`fraction`) number of times. The
  /// same seed and partitioning give the same rows.
  DataFrame sample(bool withReplacement, double fraction, uint64_t seed) const;
  DataFrame sample(double fraction, uint64_t seed) const { return sample(false, fraction, seed); }
  /// As sample, with a random seed.
  DataFrame sample(double fraction) const;
  /// `numPartitions` partitions of about equal size (a round-robin exchange).
  DataFrame repartition(int numPartitions) const;
  /// Rows with equal `columns` in one partition: hash partitioned into
  /// `numPartitions` (ember.sql.shuffle.partitions when not given).
  DataFrame repartition(int numPartitions, const std::vector<Column>& columns) const;
  DataFrame repartition(const std::vector<Column>& columns) const {
    return repartition(0, columns);
  }
  template <ColumnOrName... Cs>
  requires(sizeof...(Cs) > 0) DataFrame repartition(int numPartitions, const Cs&... columns)
  const { return repartition(numPartitions, std::vector<Column>{toColumn(columns)...}); }
  /// Range partitioned by `columns` (sort orders allowed), as orderBy's exchange.
  DataFrame repartitionByRange(int numPartitions, const std::vector<Column>& columns) const;
  template <ColumnOrName... Cs>
  requires(sizeof...(Cs) > 0) DataFrame repartitionByRange(int numPartitions, const Cs&... columns)
  const { return repartitionByRange(numPartitions, std::vector<Column>{toColumn(columns)...}); }
  /// At most `numPartitions` partitions, neighbours merged without a shuffle.
  DataFrame coalesce(int numPartitions) const;
  /// Dropping and filling nulls: df.na().drop(), df.na().fill(0).
  DataFrameNaFunctions na() const;
  /// count, mean, stddev, min and max of each numeric and string column
  /// (all of them when `columns` is empty), as STRING columns beside a
  /// `summary` column, as Spark's describe. Runs one job now.
  DataFrame describe(const std::vector<std::string>& columns = {}) const;
  template <class... Ss>
  requires(std::is_convertible_v<const Ss&, std::string>&&...) DataFrame
      describe(const std::string& column, const Ss&... more)
  const { return describe(std::vector<std::string>{column, std::string(more)...}); }

  // ---- Persistence ----
  /// Keeps the rows at `level` once an action computes them, and makes
  /// every DataFrame built on this one read them from there (Spark's
  /// InMemoryRelation). Returns this DataFrame.
  DataFrame persist(StorageLevel level = StorageLevel::MEMORY_AND_DISK) const;
  /// persist(MEMORY_AND_DISK), Spark's default for DataFrames.
  DataFrame cache() const { return persist(); }
  /// Frees the kept rows everywhere; later actions compute them again.
  DataFrame unpersist(bool blocking = false) const;
  /// The level persist() gave, or StorageLevel::NONE.
  StorageLevel storageLevel() const;

  // ---- Views that spark.sql and spark.table read ----
  /// Registers this DataFrame as the session's view `name`, replacing one
  /// of that name.
  void createOrReplaceTempView(const std::string& name) const;
  /// As createOrReplaceTempView; throws AnalysisException when `name` is taken.
  void createTempView(const std::string& name) const;
  /// A view of every Session of this Context, read as global_temp.`name`.
  void createGlobalTempView(const std::string& name) const;
  void createOrReplaceGlobalTempView(const std::string& name) const;

  // ---- Actions ----
  int64_t count() const;
  std::vector<Row> collect() const;
  std::vector<Row> take(int64_t n) const;
  std::vector<Row> head(int64_t n) const { return take(n); }
  /// The first row; throws Error when there is none.
  Row first() const;
  /// Prints the first `n` rows as Spark's table, cells cut to 20
  /// characters, on the driver's stdout.
  void show(int n = 20, bool truncate = true) const;
  /// As show, cells cut to `truncate` characters (0: not cut).
  void show(int n, int truncate) const;
  /// The text show() prints.
  std::string showString(int n = 20, int truncate = 20) const;
  /// Prints the physical plan, or (extended) every plan, on the driver's stdout.
  void explain(bool extended = false) const;
  /// The text explain() prints.
  std::string explainString(bool extended = false) const;

  /// A writer of this DataFrame's rows to files: df.write().csv(path).
  DataFrameWriter write() const;

  /// The rows as an RDD.
  Rdd<Row> rdd() const;
  /// The batches this DataFrame computes, for ember's own operators.
  Rdd<sql::Batch> toBatches() const;

  const sql::PlanPtr& analyzedPlan() const { return analyzed_; }
  /// The plan as the calls that made it wrote it, before analysis.
  const sql::PlanPtr& parsedPlan() const { return parsed_; }
  /// The plan after the optimizer's rules.
  sql::PlanPtr optimizedPlan() const;

 private:
  friend class GroupedData;
  static Column toColumn(const Column& c) { return c; }
  static Column toColumn(const std::string& name);
  DataFrame derive(sql::PlanPtr parsed, sql::PlanPtr analyzed) const;
  DataFrame projectAs(const std::vector<Column>& columns, const std::vector<Column>& parsed) const;
  /// projectAs for a list whose column `at` is a generator (explode): a
  /// Generate node, then the projection over its output.
  DataFrame generated(const std::vector<Column>& columns, const std::vector<Column>& parsed,
                      size_t at) const;
  /// projectAs for a list with window expressions: Window nodes, then the
  /// projection over their output.
  DataFrame windowed(const std::vector<Column>& columns, const std::vector<Column>& parsed) const;
  /// A Join node of this and other; `condition` resolved on both.
  DataFrame joined(const DataFrame& other, const Column* condition, sql::JoinType type) const;
  void registerView(const std::string& name, bool global, bool replace) const;
  /// Where df["x"] columns of a join's sides are found in this join's output.
  std::vector<sql::InputScope> scopes() const;
  /// Every column, by position (names may repeat after a join).
  std::vector<Column> allColumns() const;
  std::vector<Row> rowsOf(const std::vector<sql::Batch>& batches, int64_t limit) const;
  /// `node` over this DataFrame's plan, with its schema unless `node`
  /// gives one; the parsed plan's copy holds `parsedExprs`.
  DataFrame unary(sql::LogicalPlan node, std::vector<sql::ExprPtr> parsedExprs) const;
  std::vector<sql::ExprPtr> sortOrders(const std::vector<Column>& columns) const;
  DataFrame sorted(const std::vector<Column>& columns, bool global) const;
  /// The analyzed plan with every persisted DataFrame's plan in it read
  /// from its cache.
  sql::PlanPtr withCachedData() const;

  std::shared_ptr<const sql::SessionState> session_;
  sql::PlanPtr parsed_;
  sql::PlanPtr analyzed_;
};

}  // namespace ember

// GroupedData and DataFrameNaFunctions, which DataFrame returns, and the
// templates' bodies.
#include "sql/data_frame_na_functions.hpp"
#include "sql/grouped_data.hpp"
// DataFrameWriter, which DataFrame::write returns.
#include "sql/data_frame_writer.hpp"

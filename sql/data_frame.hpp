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

namespace ember {

namespace sql {
struct SessionState;
struct InputScope;
}  // namespace sql
class GroupedData;
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
  template <class... Cs>
  requires(sizeof...(Cs) > 0 && ((std::is_same_v<std::remove_cvref_t<Cs>, Column> ||
                                  std::is_convertible_v<const Cs&, std::string>)&&...)) DataFrame
      select(const Cs&... columns)
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
  /// The first `n` rows.
  DataFrame limit(int64_t n) const;
  /// The rows grouped by `keys` (columns or names), for agg() and friends.
  GroupedData groupBy(const std::vector<Column>& keys) const;
  GroupedData groupBy(const std::vector<std::string>& keys) const;
  template <class... Cs>
  requires((std::is_same_v<std::remove_cvref_t<Cs>, Column> ||
            std::is_convertible_v<const Cs&, std::string>)&&...) GroupedData
      groupBy(const Cs&... keys)
  const;
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

  /// The rows as an RDD.
  Rdd<Row> rdd() const;
  /// The batches this DataFrame computes, for ember's own operators.
  Rdd<sql::Batch> toBatches() const;

  const sql::PlanPtr& analyzedPlan() const { return analyzed_; }
  /// The plan after the optimizer's rules.
  sql::PlanPtr optimizedPlan() const;

 private:
  friend class GroupedData;
  static Column toColumn(const Column& c) { return c; }
  static Column toColumn(const std::string& name);
  DataFrame derive(sql::PlanPtr parsed, sql::PlanPtr analyzed) const;
  DataFrame projectAs(const std::vector<Column>& columns, const std::vector<Column>& parsed) const;
  /// A Join node of this and other; `condition` resolved on both.
  DataFrame joined(const DataFrame& other, const Column* condition, sql::JoinType type) const;
  /// Where df["x"] columns of a join's sides are found in this join's output.
  std::vector<sql::InputScope> scopes() const;
  /// Every column, by position (names may repeat after a join).
  std::vector<Column> allColumns() const;
  std::vector<Row> rowsOf(const std::vector<sql::Batch>& batches, int64_t limit) const;

  std::shared_ptr<const sql::SessionState> session_;
  sql::PlanPtr parsed_;
  sql::PlanPtr analyzed_;
};

}  // namespace ember

// GroupedData, which DataFrame::groupBy returns, and that template's body.
#include "sql/grouped_data.hpp"

#pragma once
// Relation: what a FROM clause (or a block built on it) gives the SQL
// planner: a DataFrame and, for each of its columns, the table aliases and
// name a query refers to it by.

#include <string>
#include <utility>
#include <vector>

#include "sql/data_frame.hpp"
#include "sql/types/struct_type.hpp"

namespace ember::sql {

struct RelationColumn {
  /// The aliases (or names) of the tables it is a column of: one, two for
  /// the key of a USING join, none for a derived column.
  std::vector<std::string> qualifiers;
  std::string name;
  /// Joined in by the planner (a scalar subquery's value), never found by name.
  bool hidden = false;
};

/// The columns names are looked up in, with their types: a relation's, or
/// the two sides of a join whose condition is being bound.
struct Scope {
  std::vector<RelationColumn> columns;
  StructType schema;

  size_t width() const { return columns.size(); }
};

struct Relation {
  DataFrame df;
  std::vector<RelationColumn> columns;  ///< one per column of df, in order

  /// `df`'s columns, qualified by `qualifier` unless it is empty.
  static Relation of(DataFrame df, const std::string& qualifier) {
    std::vector<RelationColumn> columns;
    for (const std::string& n : df.columns())
      columns.push_back(
          {qualifier.empty() ? std::vector<std::string>{} : std::vector<std::string>{qualifier}, n,
           false});
    return Relation{std::move(df), std::move(columns)};
  }
  size_t width() const { return columns.size(); }
  Scope scope() const { return Scope{columns, df.schema()}; }
};

}  // namespace ember::sql

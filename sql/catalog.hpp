#pragma once
// Catalog: the session's tables and views, as pyspark's spark.catalog.

#include <memory>
#include <string>
#include <vector>

namespace ember {

namespace sql {
struct SessionState;
}

/// spark.catalog(): lists, tests and drops the views and tables SQL names.
/// ember has no metastore: a session's views live as long as it does,
/// global temporary views (database "global_temp") as long as its Context.
class Catalog {
 public:
  /// A row of listTables(), as pyspark's Table.
  struct Table {
    std::string name;
    std::string database;   ///< "global_temp" for a global view, else empty
    std::string tableType;  ///< "TEMPORARY" for a view, "EXTERNAL" for CREATE TABLE ... USING
    bool isTemporary = true;
  };

  explicit Catalog(std::shared_ptr<const sql::SessionState> state) : state_(std::move(state)) {}

  /// The session's views and tables, by name; of dbName "global_temp": the global views.
  std::vector<Table> listTables(const std::string& dbName = "") const;
  /// Whether `name` ("v" or "global_temp.v") names a view or table.
  bool tableExists(const std::string& name) const;
  /// Drops the session's view `name`; whether there was one.
  bool dropTempView(const std::string& name) const;
  bool dropGlobalTempView(const std::string& name) const;
  std::string currentDatabase() const { return "default"; }

 private:
  std::shared_ptr<const sql::SessionState> state_;
};

}  // namespace ember

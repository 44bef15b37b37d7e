#pragma once
// TempViews: the views of a session (createOrReplaceTempView, CREATE TEMP
// VIEW, CREATE TABLE ... USING) or of all sessions of a Context (global
// temporary views, read as global_temp.name), by case-insensitive name.

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sql/plan/logical_plan.hpp"

namespace ember::sql {

struct ViewEntry {
  PlanPtr parsed, analyzed;
  /// A view (true) or a table over files (CREATE TABLE ... USING), as
  /// SHOW TABLES tells them apart.
  bool temporary = true;
};

class TempViews {
 public:
  /// Registers `entry` as `name`; false when the name is taken and not `replace`.
  bool create(const std::string& name, ViewEntry entry, bool replace);
  std::optional<ViewEntry> find(const std::string& name) const;
  /// Whether there was such a view.
  bool drop(const std::string& name);
  /// Every view, by name.
  std::vector<std::pair<std::string, ViewEntry>> list() const;

 private:
  static std::string key(const std::string& name);

  mutable std::mutex mutex_;
  std::map<std::string, std::pair<std::string, ViewEntry>> views_;  ///< by lower-case name
};

}  // namespace ember::sql

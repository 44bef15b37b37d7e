#include "sql/catalog.hpp"

#include <strings.h>

#include "sql/detail/session_state.hpp"

namespace ember {

namespace sql {

std::pair<TempViews*, std::string> SessionState::viewsOf(const std::string& name) const {
  static constexpr char kGlobal[] = "global_temp.";
  if (name.size() > sizeof(kGlobal) - 1 &&
      strncasecmp(name.c_str(), kGlobal, sizeof(kGlobal) - 1) == 0)
    return {globalViews.get(), name.substr(sizeof(kGlobal) - 1)};
  return {views.get(), name};
}

}  // namespace sql

std::vector<Catalog::Table> Catalog::listTables(const std::string& dbName) const {
  const bool global = strcasecmp(dbName.c_str(), "global_temp") == 0;
  std::vector<Table> tables;
  for (const auto& [name, entry] : (global ? state_->globalViews : state_->views)->list())
    tables.push_back({name, global ? "global_temp" : "", entry.temporary ? "TEMPORARY" : "EXTERNAL",
                      entry.temporary});
  return tables;
}

bool Catalog::tableExists(const std::string& name) const {
  return state_->findView(name).has_value();
}

bool Catalog::dropTempView(const std::string& name) const { return state_->views->drop(name); }

bool Catalog::dropGlobalTempView(const std::string& name) const {
  return state_->globalViews->drop(name);
}

}  // namespace ember

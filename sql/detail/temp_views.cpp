#include "sql/detail/temp_views.hpp"

#include "sql/io/read_options.hpp"

namespace ember::sql {

std::string TempViews::key(const std::string& name) { return lowerCase(name); }

bool TempViews::create(const std::string& name, ViewEntry entry, bool replace) {
  std::lock_guard lock(mutex_);
  auto [it, added] = views_.try_emplace(key(name), name, entry);
  if (!added && !replace) return false;
  it->second = {name, std::move(entry)};
  return true;
}

std::optional<ViewEntry> TempViews::find(const std::string& name) const {
  std::lock_guard lock(mutex_);
  const auto it = views_.find(key(name));
  if (it == views_.end()) return std::nullopt;
  return it->second.second;
}

bool TempViews::drop(const std::string& name) {
  std::lock_guard lock(mutex_);
  return views_.erase(key(name)) > 0;
}

std::vector<std::pair<std::string, ViewEntry>> TempViews::list() const {
  std::lock_guard lock(mutex_);
  std::vector<std::pair<std::string, ViewEntry>> out;
  for (const auto& [k, named] : views_) out.push_back(named);
  return out;
}

}  // namespace ember::sql

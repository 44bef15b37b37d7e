#pragma once
// SessionState: what every DataFrame of a Session shares.

#include <memory>
#include <optional>
#include <string>

#include "rdd/context.hpp"
#include "sql/detail/session_conf.hpp"
#include "sql/detail/temp_views.hpp"
#include "sql/execution/cache_manager.hpp"

namespace ember::sql {

struct SessionState {
  Context* ctx = nullptr;  ///< outlives the session's DataFrames (documented)
  /// persist()ed DataFrames; shared by the (const) state's users.
  std::shared_ptr<CacheManager> cache = std::make_shared<CacheManager>();
  /// spark.conf(): the settings plans run with.
  std::shared_ptr<SessionConf> conf;

  /// createOrReplaceTempView's views, and the Context's global ones.
  std::shared_ptr<TempViews> views = std::make_shared<TempViews>();
  std::shared_ptr<TempViews> globalViews;

  Execution execution() const { return Execution{*ctx, conf->settings()}; }

  /// The views of `name`'s database ("global_temp" or the session's) and
  /// the view's name in it.
  std::pair<TempViews*, std::string> viewsOf(const std::string& name) const;
  std::optional<ViewEntry> findView(const std::string& name) const {
    const auto [in, view] = viewsOf(name);
    return in->find(view);
  }
};

}  // namespace ember::sql

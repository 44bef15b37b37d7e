#pragma once
// SessionState: what every DataFrame of a Session shares.

#include <memory>

#include "rdd/context.hpp"
#include "sql/detail/session_conf.hpp"
#include "sql/execution/cache_manager.hpp"

namespace ember::sql {

struct SessionState {
  Context* ctx = nullptr;  ///< outlives the session's DataFrames (documented)
  /// persist()ed DataFrames; shared by the (const) state's users.
  std::shared_ptr<CacheManager> cache = std::make_shared<CacheManager>();
  /// spark.conf(): the settings plans run with.
  std::shared_ptr<SessionConf> conf;

  Execution execution() const { return Execution{*ctx, conf->settings()}; }
};

}  // namespace ember::sql

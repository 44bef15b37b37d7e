#pragma once
// SessionConf: a session's settings, which spark.conf().set changes
// between actions.

#include <mutex>
#include <string>
#include <string_view>

#include "common/conf.hpp"
#include "sql/execution/execution_settings.hpp"

namespace ember::sql {

/// The Context's conf when the session began, with the session's own
/// changes. Thread safety: every method may be called from any thread.
class SessionConf {
 public:
  explicit SessionConf(Conf conf) : conf_(std::move(conf)) {}

  void set(std::string_view key, std::string_view value) {
    std::lock_guard lock(mutex_);
    conf_.set(key, value);
  }
  std::string get(std::string_view key) const {
    std::lock_guard lock(mutex_);
    return conf_.get(key);
  }
  ExecutionSettings settings() const {
    std::lock_guard lock(mutex_);
    return settingsOf(conf_);
  }

 private:
  mutable std::mutex mutex_;
  Conf conf_;
};

}  // namespace ember::sql

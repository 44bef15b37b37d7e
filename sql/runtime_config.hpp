#pragma once
// RuntimeConfig: spark.conf, the settings of a session's DataFrames.

#include <cstdint>
#include <memory>
#include <string>

namespace ember {

namespace sql {
struct SessionState;
}

/// The SQL settings (ember.sql.*, or Spark's spark.sql.* names for them) a
/// session's plans run with, changeable between actions, as PySpark's
/// spark.conf: spark.conf().set("spark.sql.autoBroadcastJoinThreshold", -1).
/// Other keys are fixed when the Context starts: setting one throws
/// AnalysisException. A cheap handle.
class RuntimeConfig {
 public:
  explicit RuntimeConfig(std::shared_ptr<sql::SessionState> state) : state_(std::move(state)) {}

  /// Throws ConfigError for an unknown key or a value its type rejects.
  void set(const std::string& key, const std::string& value) const;
  void set(const std::string& key, const char* value) const { set(key, std::string(value)); }
  void set(const std::string& key, int64_t value) const { set(key, std::to_string(value)); }
  void set(const std::string& key, int value) const { set(key, std::to_string(value)); }
  void set(const std::string& key, bool value) const { set(key, value ? "true" : "false"); }
  /// The value in effect (the key's default when nothing set it).
  std::string get(const std::string& key) const;

 private:
  std::shared_ptr<sql::SessionState> state_;
};

}  // namespace ember

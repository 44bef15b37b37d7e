#include "sql/runtime_config.hpp"

#include "sql/detail/session_state.hpp"
#include "sql/errors.hpp"

namespace ember {
namespace {

/// Spark's name of a SQL setting (spark.sql.x) as ember's (ember.sql.x).
std::string emberKey(const std::string& key) {
  return key.starts_with("spark.sql.") ? "ember" + key.substr(5) : key;
}

}  // namespace

void RuntimeConfig::set(const std::string& key, const std::string& value) const {
  const std::string k = emberKey(key);
  if (!k.starts_with("ember.sql."))
    throw AnalysisException("[CANNOT_MODIFY_CONFIG] Cannot modify the value of the config \"" +
                            key +
                            "\" in a running session: only ember.sql.* (spark.sql.*) settings "
                            "change at run time; set it when the Context is made (--conf)");
  state_->conf->set(k, value);
}

std::string RuntimeConfig::get(const std::string& key) const {
  return state_->conf->get(emberKey(key));
}

}  // namespace ember

#pragma once
// The settings a plan's execution and its explain read from the session's
// conf (spark.conf().set changes them between actions).

#include <cstdint>

namespace ember {
class Conf;
class Context;
}  // namespace ember

namespace ember::sql {

struct ExecutionSettings {
  int shufflePartitions = 200;                     ///< ember.sql.shuffle.partitions
  int64_t broadcastThreshold = int64_t{10} << 20;  ///< ember.sql.autoBroadcastJoinThreshold
};

/// The settings `conf` gives.
ExecutionSettings settingsOf(const Conf& conf);

/// What turning a plan into RDDs needs: the context the RDDs belong to,
/// and the session's settings when the action started.
struct Execution {
  Context& ctx;
  ExecutionSettings settings;
};

}  // namespace ember::sql

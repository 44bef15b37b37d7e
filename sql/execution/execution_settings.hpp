#pragma once
// The settings a plan's execution and its explain read from the conf.

#include <cstdint>

namespace ember {
class Context;
}

namespace ember::sql {

struct ExecutionSettings {
  int shufflePartitions = 200;                     ///< ember.sql.shuffle.partitions
  int64_t broadcastThreshold = int64_t{10} << 20;  ///< ember.sql.autoBroadcastJoinThreshold
};

ExecutionSettings settingsOf(const Context& ctx);

}  // namespace ember::sql

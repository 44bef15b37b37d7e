#pragma once
// ResultTask: what an action does with each partition of its RDD.

#include <functional>
#include <string>
#include <string_view>

#include "scheduler/task_context.hpp"

namespace ember {

/// What an action does with its partitions: `run` computes partition p and
/// keeps its result; when the job spans processes, `save` serializes the
/// result kept for p on the process that ran it, and `load` stores one
/// computed elsewhere (on the driver as tasks end, everywhere at job end).
struct ResultTask {
  std::function<void(int partition, TaskContext&)> run;
  std::function<std::string(int partition)> save;
  std::function<void(int partition, std::string_view bytes)> load;
};

}  // namespace ember

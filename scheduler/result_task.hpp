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
///
/// `end`, when set, runs on the driver when the job ends and before any
/// process learns that it did: end(true) once every task succeeded (Spark's
/// commitJob: an output job renames its files into place; throwing fails
/// the job), end(false) when it failed (abortJob: its files go; it must
/// not throw, the job's own failure is the one to report). So every
/// process sees the output, or its absence, when its action returns.
struct ResultTask {
  std::function<void(int partition, TaskContext&)> run;
  std::function<std::string(int partition)> save;
  std::function<void(int partition, std::string_view bytes)> load;
  std::function<void(bool succeeded)> end = {};
};

}  // namespace ember

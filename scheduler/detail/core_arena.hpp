#pragma once
// CoreArena: a TBB arena with exactly the task slots asked for.

#include <algorithm>
#include <cstddef>
#include <thread>

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/task_arena.h>

namespace ember::detail {

struct CoreArena {
  explicit CoreArena(int cores)
      : parallelism(
            tbb::global_control::max_allowed_parallelism,
            std::max<size_t>(static_cast<size_t>(cores), std::thread::hardware_concurrency())),
        arena(cores) {}
  // TBB caps its threads at the core count; local[N] with more threads than
  // cores (to overlap I/O, or to test) must still get N.
  tbb::global_control parallelism;
  tbb::task_arena arena;
};

}  // namespace ember::detail

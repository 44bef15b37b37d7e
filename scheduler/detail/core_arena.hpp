#pragma once
// CoreArena: a TBB arena with exactly the task slots asked for.

#include <algorithm>
#include <cstddef>
#include <memory>
#include <mutex>
#include <thread>

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/task_arena.h>

namespace ember::detail {

/// TBB caps its threads at the core count, for the whole process; local[N]
/// with more threads than cores (to overlap I/O, or to test) must still get
/// N, and so must each of several Contexts in one process (the ranks of an
/// in-process cluster). The cap is therefore the sum of every live arena's
/// slots (at least the core count), raised and lowered as arenas come and go.
class ThreadCap {
 public:
  static void add(int slots) { change(slots); }
  static void remove(int slots) { change(-slots); }

 private:
  static void change(int slots) {
    static std::mutex mutex;
    static size_t total = 0;
    static std::unique_ptr<tbb::global_control> cap;
    std::lock_guard lock(mutex);
    total = slots > 0 ? total + static_cast<size_t>(slots) : total - static_cast<size_t>(-slots);
    if (total == 0) {
      cap.reset();
      return;
    }
    // The new cap first: between the two, the smaller one holds.
    auto next = std::make_unique<tbb::global_control>(
        tbb::global_control::max_allowed_parallelism,
        std::max<size_t>(total, std::thread::hardware_concurrency()));
    cap = std::move(next);
  }
};

struct CoreArena {
  explicit CoreArena(int cores) : slots(cores), arena(cores) { ThreadCap::add(slots); }
  ~CoreArena() { ThreadCap::remove(slots); }
  CoreArena(const CoreArena&) = delete;
  CoreArena& operator=(const CoreArena&) = delete;

  int slots;
  tbb::task_arena arena;
};

}  // namespace ember::detail

#pragma once
// Broadcast: a read-only value shared with every task, as Spark's broadcast
// variables.

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <source_location>
#include <string>
#include <utility>

#include "common/error.hpp"

namespace ember {

/// A value the driver makes once (a lookup table, a model) and functions
/// read in every task, without copying it into each function:
///
///     auto names = ctx.broadcast(std::map<int, std::string>{...});
///     ids.map([names](int id) { return names.value().at(id); });
///
/// Copies are handles to the same value: capture it by value. In local
/// mode every task reads the driver's one copy. On several processes every
/// process calls broadcast() at the same point of main(), as it builds the
/// same RDDs; the driver's value (which must be serializable) is sent to
/// each executor once and replaces the executor's own, so tasks read the
/// driver's value wherever they run.
///
/// Thread safety: value() may be called from any thread, concurrently.
/// destroy() must not run while a job that reads the value runs.
template <class T>
class Broadcast {
 public:
  /// Made by Context::broadcast.
  Broadcast(int64_t id, T value) : state_(std::make_shared<State>(id, std::move(value))) {}

  /// The value. Throws Error after destroy().
  const T& value() const {
    // An atomic pointer, not a lock: value() is typically called per record.
    const T* live = state_->live.load(std::memory_order_acquire);
    if (!live) state_->useAfterDestroy();
    return *live;
  }

  int64_t id() const { return state_->id; }

  /// Spark drops the executors' copies, to be fetched again on next use. In
  /// local mode the driver's copy is the only one and stays: value() still
  /// works.
  void unpersist(bool /*blocking*/ = false) const {}

  /// Frees the value, for every handle; value() throws from now on. Calling
  /// it again does nothing.
  void destroy(bool /*blocking*/ = false,
               std::source_location loc = std::source_location::current()) const {
    const std::lock_guard lock(state_->mutex);
    if (!state_->owner) return;
    state_->destroySite = std::string(loc.file_name()) + ":" + std::to_string(loc.line());
    state_->live.store(nullptr, std::memory_order_release);
    state_->owner.reset();
  }

  /// False once destroyed.
  bool isValid() const { return state_->live.load(std::memory_order_acquire) != nullptr; }

 private:
  struct State {
    State(int64_t i, T value)
        : id(i), owner(std::make_unique<const T>(std::move(value))), live(owner.get()) {}

    [[noreturn]] void useAfterDestroy() const {
      const std::lock_guard lock(mutex);
      throw Error("Attempted to use Broadcast(" + std::to_string(id) +
                  ") after it was destroyed (destroy at " + destroySite + ")");
    }

    const int64_t id;
    mutable std::mutex mutex;  // guards owner and destroySite
    std::unique_ptr<const T> owner;
    std::atomic<const T*> live;  // owner's value, or null once destroyed
    std::string destroySite;
  };

  std::shared_ptr<State> state_;
};

}  // namespace ember

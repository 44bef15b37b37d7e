#pragma once
// MemoryReservation: the execution memory one buffer of one task holds.

#include <algorithm>
#include <cstdint>

#include "storage/memory_manager.hpp"

namespace ember {

/// What a task's table or buffer has been granted by the MemoryManager. It
/// grows in steps (so that a growing buffer asks the manager rarely) and
/// gives everything back when released or destroyed, also when the task
/// throws.
class MemoryReservation {
 public:
  explicit MemoryReservation(MemoryManager& manager) : manager_(&manager) {}
  ~MemoryReservation() { release(); }
  MemoryReservation(const MemoryReservation&) = delete;
  MemoryReservation& operator=(const MemoryReservation&) = delete;

  /// Makes the reservation cover `bytes`. False when the manager cannot
  /// grant that much: the owner should spill, then release().
  bool ensure(int64_t bytes) {
    if (bytes <= held_) return true;
    const int64_t step = std::max(bytes - held_, std::min<int64_t>(held_, kMaxStep) + kMinStep);
    held_ += manager_->acquireExecution(step, held_);
    return bytes <= held_;
  }

  void release() {
    if (held_ > 0) manager_->releaseExecution(held_);
    held_ = 0;
  }

  int64_t held() const { return held_; }
  MemoryManager& manager() const { return *manager_; }

 private:
  static constexpr int64_t kMinStep = int64_t{1} << 20;
  static constexpr int64_t kMaxStep = int64_t{64} << 20;

  MemoryManager* manager_;
  int64_t held_ = 0;
};

}  // namespace ember

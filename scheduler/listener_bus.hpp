#pragma once
// ListenerBus: delivers scheduler events to the registered listeners.

#include <memory>
#include <mutex>
#include <vector>

#include "scheduler/scheduler_listener.hpp"

namespace ember {

/// Serializes delivery so that listeners see one event at a time.
/// Thread safety: every method may be called concurrently.
class ListenerBus {
 public:
  void add(std::shared_ptr<SchedulerListener> listener) {
    std::lock_guard lock(mutex_);
    listeners_.push_back(std::move(listener));
  }

  void remove(const std::shared_ptr<SchedulerListener>& listener) {
    std::lock_guard lock(mutex_);
    std::erase(listeners_, listener);
  }

  /// Calls `(listener.*method)(event)` on each listener.
  template <class Event>
  void post(void (SchedulerListener::*method)(const Event&), const Event& event) {
    std::lock_guard lock(mutex_);
    for (const auto& listener : listeners_) ((*listener).*method)(event);
  }

 private:
  std::mutex mutex_;
  std::vector<std::shared_ptr<SchedulerListener>> listeners_;
};

}  // namespace ember

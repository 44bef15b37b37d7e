#pragma once
// BlockingQueue: hands events from transport and task threads to the one
// thread that acts on them.

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>

namespace ember::detail {

template <class T>
class BlockingQueue {
 public:
  /// Notifies under the lock: the consumer may destroy the queue as soon as
  /// it has taken the last item, which must not happen mid-notify.
  void push(T value) {
    std::lock_guard lock(mutex_);
    items_.push_back(std::move(value));
    ready_.notify_one();
  }

  T pop() {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [this] { return !items_.empty(); });
    return take();
  }

  /// Empty when nothing arrived within `timeout`.
  std::optional<T> popFor(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    if (!ready_.wait_for(lock, timeout, [this] { return !items_.empty(); })) return std::nullopt;
    return take();
  }

 private:
  T take() {
    T value = std::move(items_.front());
    items_.pop_front();
    return value;
  }

  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<T> items_;
};

}  // namespace ember::detail

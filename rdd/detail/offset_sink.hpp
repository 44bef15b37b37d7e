#pragma once
// OffsetSink: skips the records a damaged cached block already passed on,
// so that its recomputation does not deliver them twice.

#include <cstdint>
#include <vector>

#include "rdd/detail/sink.hpp"

namespace ember::detail {

/// Drops the first `skip` records, passes the rest on and counts them.
template <class T>
class OffsetSink final : public Sink<T> {
 public:
  OffsetSink(Sink<T>& out, int64_t skip) : out_(out), skip_(skip) {}

  void push(std::vector<T>& batch) override {
    if (skip_ >= static_cast<int64_t>(batch.size())) {
      skip_ -= static_cast<int64_t>(batch.size());
      return;
    }
    if (skip_ > 0) {
      batch.erase(batch.begin(), batch.begin() + skip_);
      skip_ = 0;
    }
    passed_ += static_cast<int64_t>(batch.size());
    out_.push(batch);
  }

  /// Records passed on so far.
  int64_t passed() const { return passed_; }

 private:
  Sink<T>& out_;
  int64_t skip_;
  int64_t passed_ = 0;
};

}  // namespace ember::detail

#pragma once
// Sink<T>: where a partition's records go, one batch at a time.

#include <cstddef>
#include <utility>
#include <vector>

namespace ember::detail {

/// Receives the batches of a partition as they are computed. Records flow
/// through a fused stage as batches so that each transformation costs one
/// virtual call per batch, not per record.
template <class T>
class Sink {
 public:
  /// A non-empty batch. The sink may move records out of it. Afterwards the
  /// caller owns the batch again: it clears it, or assigns over its elements
  /// to reuse the memory they hold.
  virtual void push(std::vector<T>& batch) = 0;

 protected:
  ~Sink() = default;
};

template <class T, class F>
class FunctionSink final : public Sink<T> {
 public:
  explicit FunctionSink(F f) : f_(std::move(f)) {}
  void push(std::vector<T>& batch) override { f_(batch); }

 private:
  F f_;
};

/// A sink that calls `f(std::vector<T>&)` for each batch.
template <class T, class F>
FunctionSink<T, F> makeSink(F f) {
  return FunctionSink<T, F>(std::move(f));
}

/// How many records a stage gathers before pushing them on: the configured
/// batch size, unless the record type is itself a block of many rows (a
/// columnar batch) and says how many of it to push at once. A (key, block)
/// pair, as a shuffle of such blocks moves, counts as its block: 4096 of
/// them held between two operators were hundreds of megabytes that no
/// memory budget saw.
template <class U>
constexpr size_t recordsPerPush(size_t configured) {
  if constexpr (requires { U::kRecordsPerPush; }) {
    return U::kRecordsPerPush;
  } else if constexpr (requires { U::second_type::kRecordsPerPush; }) {
    return U::second_type::kRecordsPerPush;
  } else {
    return configured;
  }
}

}  // namespace ember::detail

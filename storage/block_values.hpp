#pragma once
// BlockValues: the records of a cached partition held as objects.

#include <cstdint>
#include <functional>
#include <string_view>

namespace ember {

/// A block's records as objects, of a type only the RDD layer knows. The
/// block manager keeps them without looking inside, and asks them to
/// serialize themselves when it moves the block to disk.
///
/// Thread safety: immutable once stored; serialize() may run concurrently
/// with readers.
class BlockValues {
 public:
  virtual ~BlockValues() = default;

  /// Serializes the records as frame payloads of a few hundred KiB, calling
  /// `emit` with each. Throws Error when the record type cannot be
  /// serialized (only levels without disk accept such types).
  virtual void serialize(const std::function<void(std::string_view payload)>& emit) const = 0;

  virtual int64_t records() const = 0;
};

}  // namespace ember

#include "storage/map_status.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "common/error.hpp"

namespace ember {
namespace {

constexpr double kLogBase = 1.1;

/// Spark's one-byte size: ceil(log_1.1(bytes)), so within 10% up to 1.1^255
/// (35 GB); at least 1 for a bucket that holds records.
uint8_t encodeSize(int64_t bytes) {
  if (bytes <= 1) return 1;
  const double code = std::ceil(std::log(static_cast<double>(bytes)) / std::log(kLogBase));
  return static_cast<uint8_t>(std::clamp(code, 1.0, 255.0));
}

int64_t decodeSize(uint8_t code) {
  return static_cast<int64_t>(std::pow(kLogBase, static_cast<double>(code)));
}

[[noreturn]] void corrupt(const std::string& problem) {
  throw CorruptBlockError("map status: " + problem);
}

}  // namespace

MapStatus::MapStatus(int numBuckets, std::span<const std::pair<int32_t, int64_t>> buckets)
    : numBuckets_(numBuckets) {
  const size_t n = buckets.size();
  // A sorted id takes 32 bits, a bucket of the bitmap one.
  if (n * 32 < static_cast<size_t>(numBuckets)) {
    ids_.reserve(n);
    for (const auto& [b, bytes] : buckets) ids_.push_back(b);
  } else {
    bits_.assign((static_cast<size_t>(numBuckets) + 63) / 64, 0);
    for (const auto& [b, bytes] : buckets)
      bits_[static_cast<size_t>(b) / 64] |= uint64_t{1} << (static_cast<size_t>(b) % 64);
  }
  if (n <= kAccurateBuckets) {
    codes_.reserve(n);
    for (const auto& [b, bytes] : buckets) codes_.push_back(encodeSize(bytes));
  } else {
    int64_t total = 0;
    for (const auto& [b, bytes] : buckets) total += bytes;
    const int64_t mean = total / static_cast<int64_t>(n);
    int64_t small = 0;
    for (const auto& [b, bytes] : buckets) {
      if (bytes > kHugeFactor * mean) {
        huge_.emplace_back(b, bytes);
      } else {
        small += bytes;
      }
    }
    const auto smallCount = static_cast<int64_t>(n - huge_.size());
    average_ = smallCount == 0 ? 0 : std::max<int64_t>(1, small / smallCount);
  }
  index();
}

void MapStatus::index() {
  count_ = ids_.size();
  wordRanks_.clear();
  if (bits_.empty()) return;
  wordRanks_.reserve(bits_.size());
  for (const uint64_t word : bits_) {
    wordRanks_.push_back(static_cast<uint32_t>(count_));
    count_ += static_cast<size_t>(std::popcount(word));
  }
}

bool MapStatus::holds(int bucket) const {
  if (bucket < 0 || bucket >= numBuckets_) return false;
  if (!bits_.empty()) {
    const auto b = static_cast<size_t>(bucket);
    return (bits_[b / 64] >> (b % 64)) & 1;
  }
  return std::binary_search(ids_.begin(), ids_.end(), bucket);
}

size_t MapStatus::rankOf(int bucket) const {
  if (bits_.empty())
    return static_cast<size_t>(std::lower_bound(ids_.begin(), ids_.end(), bucket) - ids_.begin());
  const auto b = static_cast<size_t>(bucket);
  const uint64_t below = bits_[b / 64] & ((uint64_t{1} << (b % 64)) - 1);
  return wordRanks_[b / 64] + static_cast<size_t>(std::popcount(below));
}

int64_t MapStatus::bytes(int bucket) const {
  if (!holds(bucket)) return 0;
  if (!codes_.empty()) return decodeSize(codes_[rankOf(bucket)]);
  const auto it =
      std::lower_bound(huge_.begin(), huge_.end(), std::pair<int32_t, int64_t>{bucket, 0});
  if (it != huge_.end() && it->first == bucket) return it->second;
  return average_;
}

size_t MapStatus::heapBytes() const {
  return ids_.capacity() * sizeof(int32_t) + bits_.capacity() * sizeof(uint64_t) +
         codes_.capacity() + huge_.capacity() * sizeof(huge_[0]) +
         wordRanks_.capacity() * sizeof(uint32_t);
}

void MapStatus::validate() {
  if (numBuckets_ < 0) corrupt("a negative number of buckets");
  if (!ids_.empty() && !bits_.empty()) corrupt("both a list and a bitmap of buckets");
  if (!bits_.empty() && bits_.size() != (static_cast<size_t>(numBuckets_) + 63) / 64)
    corrupt("a bitmap of " + std::to_string(bits_.size()) + " words for " +
            std::to_string(numBuckets_) + " buckets");
  for (size_t i = 0; i < ids_.size(); ++i) {
    if (ids_[i] < 0 || ids_[i] >= numBuckets_ || (i > 0 && ids_[i] <= ids_[i - 1]))
      corrupt("bucket ids out of order or range");
  }
  if (const size_t tail = static_cast<size_t>(numBuckets_) % 64;
      tail != 0 && !bits_.empty() && (bits_.back() >> tail) != 0)
    corrupt("bits set past the last bucket");
  index();
  if (!codes_.empty() && codes_.size() != count_)
    corrupt(std::to_string(codes_.size()) + " sizes for " + std::to_string(count_) + " buckets");
  if (average_ < 0) corrupt("a negative average size");
  for (size_t i = 0; i < huge_.size(); ++i) {
    if (!holds(huge_[i].first) || huge_[i].second < 0 ||
        (i > 0 && huge_[i].first <= huge_[i - 1].first))
      corrupt("a large bucket that is not among the non-empty ones, or out of order");
  }
}

}  // namespace ember

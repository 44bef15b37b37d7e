#pragma once
// StatCounter: count, mean, variance, min and max of numbers, mergeable.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <ostream>

namespace ember {

/// Spark's StatCounter: one pass, numerically stable (Welford's update, and
/// Chan et al.'s formula to merge the counters of two partitions).
class StatCounter {
 public:
  StatCounter& merge(double value) {
    const double delta = value - mean_;
    ++n_;
    mean_ += delta / static_cast<double>(n_);
    m2_ += delta * (value - mean_);
    max_ = std::max(max_, value);
    min_ = std::min(min_, value);
    return *this;
  }

  StatCounter& merge(const StatCounter& other) {
    if (other.n_ == 0) return *this;
    if (n_ == 0) return *this = other;
    const double delta = other.mean_ - mean_;
    const double n = static_cast<double>(n_ + other.n_);
    mean_ += delta * static_cast<double>(other.n_) / n;
    m2_ += other.m2_ + delta * delta * static_cast<double>(n_) * static_cast<double>(other.n_) / n;
    n_ += other.n_;
    max_ = std::max(max_, other.max_);
    min_ = std::min(min_, other.min_);
    return *this;
  }

  int64_t count() const { return n_; }
  double mean() const { return n_ == 0 ? std::numeric_limits<double>::quiet_NaN() : mean_; }
  double sum() const { return static_cast<double>(n_) * mean_; }
  double max() const { return max_; }
  double min() const { return min_; }
  /// Population variance (divides by n), as Spark's variance.
  double variance() const {
    return n_ == 0 ? std::numeric_limits<double>::quiet_NaN() : m2_ / static_cast<double>(n_);
  }
  /// Sample variance (divides by n - 1).
  double sampleVariance() const {
    return n_ <= 1 ? std::numeric_limits<double>::quiet_NaN() : m2_ / static_cast<double>(n_ - 1);
  }
  double stdev() const { return std::sqrt(variance()); }
  double sampleStdev() const { return std::sqrt(sampleVariance()); }

  friend std::ostream& operator<<(std::ostream& os, const StatCounter& s) {
    return os << "(count: " << s.count() << ", mean: " << s.mean() << ", stdev: " << s.stdev()
              << ", max: " << s.max() << ", min: " << s.min() << ")";
  }

 private:
  int64_t n_ = 0;
  double mean_ = 0;
  double m2_ = 0;
  double max_ = -std::numeric_limits<double>::infinity();
  double min_ = std::numeric_limits<double>::infinity();
};

}  // namespace ember

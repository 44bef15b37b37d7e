#pragma once
// Plain-loop reference answers and inputs shared by the RDD suites.

#include <random>
#include <string>
#include <vector>

namespace ember::testing {

/// Slice counts to try: one, a few, and more than some inputs have elements.
inline const std::vector<int> kSliceCounts = {1, 2, 3, 7, 64};

/// The SCOPED_TRACE text naming a slice count.
inline std::string trace(int slices) { return "numSlices " + std::to_string(slices); }

/// n pseudo-random ints in [0, bound), the same in every run: many ties.
inline std::vector<int> randomInts(int n, int bound, unsigned seed = 1) {
  std::mt19937 gen(seed);
  std::vector<int> v;
  for (int i = 0; i < n; ++i) v.push_back(static_cast<int>(gen() % static_cast<unsigned>(bound)));
  return v;
}

/// from, from + 1, ..., from + n - 1.
inline std::vector<int> iota(int n, int from = 0) {
  std::vector<int> v;
  for (int i = 0; i < n; ++i) v.push_back(from + i);
  return v;
}

/// The partitions of `data` cut into `n` slices, as Spark slices a
/// collection: slice i holds indices [i*len/n, (i+1)*len/n).
template <class T>
std::vector<std::vector<T>> expectedSlices(const std::vector<T>& data, int n) {
  std::vector<std::vector<T>> slices(static_cast<size_t>(n));
  const size_t len = data.size();
  for (size_t i = 0; i < static_cast<size_t>(n); ++i) {
    for (size_t j = i * len / static_cast<size_t>(n); j < (i + 1) * len / static_cast<size_t>(n);
         ++j) {
      slices[i].push_back(data[j]);
    }
  }
  return slices;
}

}  // namespace ember::testing

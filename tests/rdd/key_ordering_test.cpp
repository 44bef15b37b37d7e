// The key prefixes sortByKey compares first must order keys exactly as the
// comparator does, or records land in the wrong order.

#include "rdd/detail/key_ordering.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "support/shapes.hpp"

namespace ember::testing {
namespace {

/// Strings that stress a byte prefix: shared 8-byte heads, bytes above 127,
/// embedded NULs, and lengths around 8.
std::vector<std::string> awkwardStrings(int n) {
  std::mt19937 gen(7);
  const std::string heads[] = {"", "abcdefgh", "abcdefg", std::string("ab\0", 3), "\xff\xfe"};
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) {
    std::string s = heads[gen() % 5];
    const size_t tail = gen() % 12;
    for (size_t j = 0; j < tail; ++j) s.push_back(static_cast<char>(gen() % 4 == 0 ? 0 : gen()));
    out.push_back(std::move(s));
  }
  return out;
}

template <class K>
void expectPrefixAgreesWithLess(const std::vector<K>& keys) {
  for (size_t i = 0; i + 1 < keys.size(); ++i) {
    const uint64_t a = detail::keyPrefix(keys[i]);
    const uint64_t b = detail::keyPrefix(keys[i + 1]);
    // A smaller prefix must mean a smaller key; equal keys need equal prefixes.
    if (a < b) {
      EXPECT_LT(keys[i], keys[i + 1]);
    }
    if (a > b) {
      EXPECT_GT(keys[i], keys[i + 1]);
    }
    if (keys[i] == keys[i + 1]) {
      EXPECT_EQ(a, b);
    }
  }
}

TEST(KeyPrefix, OrdersStringsAsTheirBytesCompareUnsigned) {
  auto keys = awkwardStrings(5000);
  expectPrefixAgreesWithLess(keys);
  EXPECT_LT(detail::keyPrefix(std::string("a")), detail::keyPrefix(std::string("\x80")));
}

TEST(KeyPrefix, OrdersSignedAndUnsignedIntegers) {
  std::vector<int64_t> signedKeys = {std::numeric_limits<int64_t>::min(), -5, -1, 0, 1, 7,
                                     std::numeric_limits<int64_t>::max()};
  for (size_t i = 0; i + 1 < signedKeys.size(); ++i)
    EXPECT_LT(detail::keyPrefix(signedKeys[i]), detail::keyPrefix(signedKeys[i + 1]));
  std::vector<uint32_t> unsignedKeys = {0, 1, 1u << 31, std::numeric_limits<uint32_t>::max()};
  for (size_t i = 0; i + 1 < unsignedKeys.size(); ++i)
    EXPECT_LT(detail::keyPrefix(unsignedKeys[i]), detail::keyPrefix(unsignedKeys[i + 1]));
}

class SortByKeyPrefix : public ShapedTest {};

TEST_P(SortByKeyPrefix, SortsAwkwardStringKeysLikeStdSort) {
  std::vector<std::pair<std::string, int>> data;
  int i = 0;
  for (std::string& s : awkwardStrings(20000)) data.emplace_back(std::move(s), i++);
  for (bool ascending : {true, false}) {
    auto got = ctx().parallelize(data, 5).sortByKey(ascending, 3).collect();
    auto keys = [](const std::vector<std::pair<std::string, int>>& v) {
      std::vector<std::string> k;
      for (const auto& kv : v) k.push_back(kv.first);
      return k;
    };
    std::vector<std::string> want = keys(data);
    std::sort(want.begin(), want.end());
    if (!ascending) std::reverse(want.begin(), want.end());
    EXPECT_EQ(keys(got), want) << (ascending ? "ascending" : "descending");
    auto sortedInput = data;
    auto sortedGot = got;
    std::sort(sortedInput.begin(), sortedInput.end());
    std::sort(sortedGot.begin(), sortedGot.end());
    EXPECT_EQ(sortedGot, sortedInput) << "the same records, each once";
  }
}

TEST_P(SortByKeyPrefix, SortsNegativeIntegerKeysLikeStdSort) {
  std::vector<std::pair<int64_t, int>> data;
  std::mt19937_64 gen(3);
  for (int i = 0; i < 20000; ++i) data.emplace_back(static_cast<int64_t>(gen()), i);
  auto got = ctx().parallelize(data, 4).sortByKey(false, 3).collect();
  std::vector<std::pair<int64_t, int>> want = data;
  std::stable_sort(want.begin(), want.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  EXPECT_EQ(got, want);
}

EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(SortByKeyPrefix);

}  // namespace
}  // namespace ember::testing

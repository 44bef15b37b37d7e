// MapStatus: which buckets hold records and about how big they are, in the
// compact forms the map output tracker keeps and ships; and its decoding of
// damaged bytes.

#include "storage/map_status.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "common/error.hpp"
#include "storage/serializer.hpp"

namespace ember {
namespace {

using Sizes = std::vector<std::pair<int32_t, int64_t>>;

MapStatus roundTrip(const MapStatus& status) {
  std::string bytes;
  ByteWriter writer(bytes);
  serialize(writer, status);
  ByteReader reader(bytes, "a map status");
  MapStatus back;
  deserialize(reader, back);
  EXPECT_TRUE(reader.atEnd());
  return back;
}

/// Every bucket of `status` against the plain list it was made from.
void expectMatches(const MapStatus& status, int numBuckets, const Sizes& sizes,
                   double tolerance) {
  std::vector<int64_t> expected(static_cast<size_t>(numBuckets), 0);
  for (const auto& [b, bytes] : sizes) expected[static_cast<size_t>(b)] = bytes;
  EXPECT_EQ(status.numBuckets(), numBuckets);
  EXPECT_EQ(status.nonEmptyBuckets(), sizes.size());
  std::vector<int> listed;
  status.forEachNonEmpty([&](int b) { listed.push_back(b); });
  std::vector<int> want;
  for (const auto& [b, bytes] : sizes) want.push_back(b);
  EXPECT_EQ(listed, want);
  for (int b = 0; b < numBuckets; ++b) {
    const int64_t e = expected[static_cast<size_t>(b)];
    EXPECT_EQ(status.holds(b), e > 0) << "bucket " << b;
    if (e == 0) {
      EXPECT_EQ(status.bytes(b), 0) << "bucket " << b;
    } else {
      EXPECT_NEAR(static_cast<double>(status.bytes(b)), static_cast<double>(e),
                  tolerance * static_cast<double>(e) + 1)
          << "bucket " << b;
    }
  }
}

TEST(MapStatus, FewBucketsOfManyAreListedWithSizesWithinTenPercent) {
  const Sizes sizes{{3, 1}, {17, 250}, {999, 123456}, {40000, 7'000'000'000}};
  const MapStatus status(50000, sizes);
  expectMatches(status, 50000, sizes, 0.1);
  expectMatches(roundTrip(status), 50000, sizes, 0.1);
  // Four ids and four one-byte sizes, not 50,000 of anything.
  EXPECT_LT(status.heapBytes(), 64u);
}

TEST(MapStatus, ManyNonEmptyBucketsTakeABitEach) {
  Sizes sizes;
  for (int32_t b = 0; b < 1000; b += 2) sizes.emplace_back(b, 100 + b);
  const MapStatus status(1000, sizes);
  expectMatches(status, 1000, sizes, 0.1);
  expectMatches(roundTrip(status), 1000, sizes, 0.1);
  // A bit per bucket, a byte per size, and a count per 64 buckets to find them.
  EXPECT_LE(status.heapBytes(), 1000u / 8 + 500 + 1000u / 16 + 16);
}

TEST(MapStatus, BeyondTheAccurateLimitSmallBucketsShareAnAverageAndHugeOnesStayExact) {
  Sizes sizes;
  for (int32_t b = 0; b < 10000; ++b) {
    if (b % 3 == 0) continue;
    sizes.emplace_back(b, b == 4 ? 50'000'000 : 1000 + b % 7);
  }
  const MapStatus status(10000, sizes);
  ASSERT_GT(sizes.size(), MapStatus::kAccurateBuckets);
  for (const MapStatus& s : {status, roundTrip(status)}) {
    EXPECT_EQ(s.bytes(4), 50'000'000);  // the skewed bucket, exactly
    EXPECT_EQ(s.bytes(3), 0);
    EXPECT_NEAR(static_cast<double>(s.bytes(5)), 1003.0, 4.0);  // the others' average
    EXPECT_EQ(s.nonEmptyBuckets(), sizes.size());
  }
}

TEST(MapStatus, AnOutputWithNoRecordsHoldsNoBucket) {
  const MapStatus status(20000, Sizes{});
  EXPECT_EQ(status.nonEmptyBuckets(), 0u);
  EXPECT_FALSE(status.holds(0));
  EXPECT_FALSE(roundTrip(status).holds(19999));
  int calls = 0;
  status.forEachNonEmpty([&](int) { ++calls; });
  EXPECT_EQ(calls, 0);
}

TEST(MapStatus, RandomStatusesAgreeWithAPlainListInEveryForm) {
  std::mt19937 random(7);
  for (int round = 0; round < 200; ++round) {
    const int numBuckets = 1 + static_cast<int>(random() % 5000);
    const double density = (random() % 100) / 100.0;
    Sizes sizes;
    for (int32_t b = 0; b < numBuckets; ++b) {
      if (std::uniform_real_distribution<>(0, 1)(random) < density)
        sizes.emplace_back(b, 1 + static_cast<int64_t>(random() % 100000));
    }
    const MapStatus status(numBuckets, sizes);
    // Exact forms within 10%; the average form is checked on its own above.
    const double tolerance = sizes.size() <= MapStatus::kAccurateBuckets ? 0.1 : 1e9;
    expectMatches(roundTrip(status), numBuckets, sizes, tolerance);
  }
}

TEST(MapStatus, DamagedBytesAreRefusedWithAClearError) {
  const Sizes sizes{{1, 10}, {5, 20}};
  std::string bytes;
  ByteWriter writer(bytes);
  serialize(writer, MapStatus(8, sizes));  // a bitmap: 2 * 32 >= 8
  // Every single-byte change either decodes to a status that agrees with
  // itself or is refused as damaged; nothing else may happen.
  for (size_t at = 0; at < bytes.size(); ++at) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string damaged = bytes;
      damaged[at] = static_cast<char>(damaged[at] ^ (1 << bit));
      ByteReader reader(damaged, "a damaged map status");
      MapStatus status;
      try {
        deserialize(reader, status);
      } catch (const CorruptBlockError&) {
        continue;
      }
      size_t listed = 0;
      status.forEachNonEmpty([&](int b) {
        ++listed;
        EXPECT_TRUE(status.holds(b));
        EXPECT_GE(status.bytes(b), 0);
      });
      EXPECT_EQ(listed, status.nonEmptyBuckets());
    }
  }
  // Bits past the last bucket are a contradiction.
  std::string out;
  ByteWriter w(out);
  serialize(w, int32_t{3});
  serialize(w, std::vector<int32_t>{});
  serialize(w, std::vector<uint64_t>{0xFF});
  serialize(w, std::vector<uint8_t>{});
  serialize(w, int64_t{1});
  serialize(w, std::vector<std::pair<int32_t, int64_t>>{});
  ByteReader r(out, "a forged map status");
  MapStatus forged;
  EXPECT_THAT([&] { deserialize(r, forged); },
              ::testing::ThrowsMessage<CorruptBlockError>(::testing::HasSubstr("map status")));
}

}  // namespace
}  // namespace ember

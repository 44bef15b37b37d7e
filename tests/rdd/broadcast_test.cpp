// Broadcast variables: a large map read in map() gives a plain loop's answer
// on one thread, several, and several processes, where tasks read the
// driver's value; handles share one value; unpersist keeps it, destroy frees
// it and value() then throws, also inside a job.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "support/reference.hpp"
#include "support/shapes.hpp"

namespace {

using ember::testing::randomInts;
using ember::testing::ShapedTest;
using ::testing::HasSubstr;

constexpr int kKeys = 100000;

/// A lookup table large enough that copying it into every task would show.
std::unordered_map<int, std::string> table() {
  std::unordered_map<int, std::string> t;
  for (int k = 0; k < kKeys; ++k) t.emplace(k, "v" + std::to_string(k * 7 % 1009));
  return t;
}

class Broadcasts : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(Broadcasts);

TEST_P(Broadcasts, LargeMapReadInMapGivesAPlainLoopsAnswer) {
  const std::vector<int> keys = randomInts(20000, kKeys);
  const auto lookup = table();
  auto shared = ctx().broadcast(lookup);

  const auto lengths =
      ctx()
          .parallelize(keys, 8)
          .map([shared](int k) { return static_cast<int64_t>(shared.value().at(k).size()) * k; })
          .collect();

  std::vector<int64_t> expected;
  for (int k : keys) expected.push_back(static_cast<int64_t>(lookup.at(k).size()) * k);
  EXPECT_EQ(lengths, expected);
}

TEST_P(Broadcasts, TasksReadTheDriversValueWhereverTheyRun) {
  // Each process offers its own value; on a cluster the driver's must win.
  auto shared = ctx().broadcast(ctx().isDriver() ? 42 : -1);
  const auto seen = ctx()
                        .parallelize(std::vector<int>(24, 0), 12)
                        .map([shared](int) { return shared.value(); })
                        .collect();
  EXPECT_EQ(seen, std::vector<int>(24, 42));
  EXPECT_EQ(shared.value(), 42);
}

TEST_P(Broadcasts, CopiesShareOneValueAndEachBroadcastHasItsId) {
  auto a = ctx().broadcast(std::vector<int>{1, 2, 3});
  auto b = ctx().broadcast(std::string("x"));
  const auto copy = a;
  EXPECT_EQ(copy.id(), a.id());
  EXPECT_EQ(&copy.value(), &a.value()) << "a handle's copy must not copy the value";
  EXPECT_NE(a.id(), b.id());
}

TEST_P(Broadcasts, UnpersistKeepsTheValueUsable) {
  auto shared = ctx().broadcast(std::vector<int>{4, 5});
  shared.unpersist();
  EXPECT_EQ(shared.value(), (std::vector<int>{4, 5}));
  EXPECT_EQ(ctx()
                .parallelize(std::vector<int>{0, 1}, 2)
                .map([shared](int i) { return shared.value()[static_cast<size_t>(i)]; })
                .collect(),
            (std::vector<int>{4, 5}));
}

TEST_P(Broadcasts, ValueAfterDestroyThrowsNamingTheBroadcastAndWhereItWasDestroyed) {
  auto shared = ctx().broadcast(std::string("gone"));
  const auto copy = shared;
  EXPECT_TRUE(shared.isValid());
  shared.destroy();
  shared.destroy();  // again: nothing more to free
  EXPECT_FALSE(copy.isValid());
  try {
    (void)copy.value();
    FAIL() << "value() after destroy() did not throw";
  } catch (const ember::Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("Broadcast(" + std::to_string(shared.id()) + ")"));
    EXPECT_THAT(e.what(), HasSubstr("after it was destroyed"));
    EXPECT_THAT(e.what(), HasSubstr("broadcast_test.cpp:"));
  }
}

TEST_P(Broadcasts, JobReadingADestroyedBroadcastFails) {
  auto shared = ctx().broadcast(7);
  shared.destroy();
  auto job = ctx().parallelize(std::vector<int>{1, 2}, 2).map([shared](int x) {
    return x + shared.value();
  });
  try {
    job.collect();
    FAIL() << "the job did not fail";
  } catch (const ember::JobFailed& e) {
    EXPECT_THAT(e.what(), HasSubstr("after it was destroyed"));
  }
}

}  // namespace

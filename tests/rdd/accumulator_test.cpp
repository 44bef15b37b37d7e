// Accumulators: sums and counts added from tasks equal a plain loop's on one
// thread, several, and three processes (where every process reads the
// driver's totals); a retried task counts once and a failed one not at all;
// a transformation read by two actions counts twice unless persisted; adds on
// the driver apply at once; a task's updates survive serialization.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "storage/serializer.hpp"
#include "support/reference.hpp"
#include "support/shapes.hpp"

namespace {

using ember::testing::iota;
using ember::testing::randomInts;
using ember::testing::ShapedTest;
using ::testing::HasSubstr;

int64_t plainSum(const std::vector<int>& v) {
  int64_t sum = 0;
  for (int x : v) sum += x;
  return sum;
}

class Accumulators : public ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(Accumulators);

TEST_P(Accumulators, SumCountAndAvgOfForeachEqualAPlainLoop) {
  const std::vector<int> data = randomInts(10000, 1000);
  auto acc = ctx().longAccumulator("sum");
  ctx().parallelize(data, 7).foreach ([acc](int x) { acc.add(x); });

  const int64_t expected = plainSum(data);
  EXPECT_EQ(acc.value(), expected);
  EXPECT_EQ(acc.sum(), expected);
  EXPECT_EQ(acc.count(), static_cast<int64_t>(data.size()));
  EXPECT_DOUBLE_EQ(acc.avg(), static_cast<double>(expected) / static_cast<double>(data.size()));
  EXPECT_EQ(acc.name(), "sum");
}

TEST_P(Accumulators, DoubleAccumulatorEqualsAPlainLoop) {
  const std::vector<int> data = randomInts(5000, 100);
  auto acc = ctx().doubleAccumulator();
  ctx().parallelize(data, 5).foreach ([acc](int x) { acc.add(x * 0.5); });

  double expected = 0;
  for (int x : data) expected += x * 0.5;  // halves of small ints: exact in any order
  EXPECT_EQ(acc.value(), expected);
  EXPECT_EQ(acc.count(), static_cast<int64_t>(data.size()));
}

TEST_P(Accumulators, AddsInAMapStageBeforeAShuffleCountOncePerRecord) {
  const std::vector<int> data = iota(3000);
  auto seen = ctx().longAccumulator();
  const auto groups = ctx()
                          .parallelize(data, 6)
                          .map([seen](int x) {
                            seen.add(1);
                            return std::pair<int, int>(x % 10, x);
                          })
                          .reduceByKey([](int a, int b) { return a + b; }, 3)
                          .count();
  EXPECT_EQ(groups, 10);
  EXPECT_EQ(seen.value(), static_cast<int64_t>(data.size()));
}

TEST_P(Accumulators, TransformationReadByTwoActionsCountsTwice) {
  const std::vector<int> data = iota(1000);
  auto acc = ctx().longAccumulator();
  auto mapped = ctx().parallelize(data, 4).map([acc](int x) {
    acc.add(x);
    return x;
  });
  mapped.count();
  mapped.collect();
  EXPECT_EQ(acc.value(), 2 * plainSum(data)) << "each action recomputes the map, as in Spark";
  EXPECT_EQ(acc.count(), 2 * static_cast<int64_t>(data.size()));
}

TEST_P(Accumulators, PersistedTransformationReadByTwoActionsCountsOnce) {
  const std::vector<int> data = iota(1000);
  auto acc = ctx().longAccumulator();
  auto mapped = ctx()
                    .parallelize(data, 4)
                    .map([acc](int x) {
                      acc.add(x);
                      return x;
                    })
                    .persist(ember::StorageLevel::MEMORY_AND_DISK);
  mapped.count();
  mapped.collect();
  EXPECT_EQ(acc.value(), plainSum(data));
}

TEST_P(Accumulators, AddsOnTheDriverApplyAtOnceAndJoinTheTasks) {
  auto acc = ctx().longAccumulator();
  EXPECT_TRUE(acc.isZero());
  acc.add(5);
  EXPECT_EQ(acc.value(), 5);
  EXPECT_FALSE(acc.isZero());
  ctx().parallelize(iota(10), 3).foreach ([acc](int x) { acc.add(x); });
  EXPECT_EQ(acc.value(), 5 + 45);
  EXPECT_EQ(acc.count(), 11);

  auto copy = acc;  // a handle to the same accumulator
  copy.reset();
  EXPECT_TRUE(acc.isZero());
  EXPECT_TRUE(std::isnan(acc.avg())) << "0 / 0, as Spark's avg";
}

TEST_P(Accumulators, EachAccumulatorHasItsOwnIdAndSum) {
  auto evens = ctx().longAccumulator("evens");
  auto odds = ctx().longAccumulator("odds");
  EXPECT_NE(evens.id(), odds.id());
  ctx().parallelize(iota(100), 4).foreach ([evens, odds](int x) { (x % 2 ? odds : evens).add(x); });
  EXPECT_EQ(evens.value(), 2450);
  EXPECT_EQ(odds.value(), 2500);
}

TEST_P(Accumulators, ValueReadInsideATaskFailsTheJobSayingWhy) {
  auto acc = ctx().longAccumulator("total");
  auto job = [&] {
    ctx().parallelize(iota(4), 2).map([acc](int x) { return x + acc.value(); }).collect();
  };
  try {
    job();
    FAIL() << "the job did not fail";
  } catch (const ember::JobFailed& e) {
    EXPECT_THAT(e.what(), HasSubstr("accumulator 'total'"));
    EXPECT_THAT(e.what(), HasSubstr("read inside a task"));
  }
}

// ---- Retries: local[N,F] ----

class AccumulatorRetries : public ::testing::Test {
 protected:
  ember::Context ctx{ember::Conf().set("ember.master", "local[2,3]")};
};

TEST_F(AccumulatorRetries, TaskFailingItsFirstAttemptCountsOnce) {
  const std::vector<int> data = iota(400);
  auto acc = ctx.longAccumulator();
  std::atomic<int> thrown{0};
  ctx.parallelize(data, 4).foreach ([acc, &thrown](int x) {
    acc.add(x);  // partition 1's first attempt adds half its records, then fails
    const ember::TaskContext* tc = ember::TaskContext::get();
    if (tc->partitionId() == 1 && tc->attemptNumber() == 0 && x == 150) {
      ++thrown;
      throw std::runtime_error("flaky");
    }
  });
  EXPECT_EQ(thrown.load(), 1);
  EXPECT_EQ(acc.value(), plainSum(data));
  EXPECT_EQ(acc.count(), static_cast<int64_t>(data.size()));
}

TEST_F(AccumulatorRetries, TaskFailingEveryAttemptAddsNothing) {
  constexpr int64_t kMarker = 1000000;  // more than all other partitions add together
  auto acc = ctx.longAccumulator();
  auto job = ctx.parallelize(iota(40), 4).map([acc](int x) {
    acc.add(ember::TaskContext::get()->partitionId() == 3 ? kMarker : x);
    if (x == 39) throw std::runtime_error("always");
    return x;
  });
  EXPECT_THROW(job.collect(), ember::JobFailed);
  EXPECT_LT(acc.value(), kMarker) << "a failed attempt's adds were counted";
}

// ---- What a task hands the scheduler ----

TEST(AccumulatorUpdates, SurviveSerializationForAnotherProcess) {
  ember::AccumulatorUpdates updates;
  updates.add(7, int64_t{40});
  updates.add(7, int64_t{2});
  updates.add(9, 0.25);

  std::string bytes;
  ember::ByteWriter writer(bytes);
  ember::serialize(writer, updates.byId());
  ember::ByteReader reader(bytes, "accumulator updates");
  ember::AccumulatorUpdates::Map map;
  ember::deserialize(reader, map);
  const ember::AccumulatorUpdates back(std::move(map));

  ASSERT_EQ(back.byId().size(), 2u);
  EXPECT_EQ(std::get<int64_t>(back.byId().at(7).sum), 42);
  EXPECT_EQ(back.byId().at(7).count, 2);
  EXPECT_EQ(std::get<double>(back.byId().at(9).sum), 0.25);
  EXPECT_EQ(back.byId().at(9).count, 1);
}

TEST(AccumulatorUpdates, LongSumsWrapAroundAsJavaLongs) {
  ember::AccumulatorUpdates updates;
  updates.add(1, INT64_MAX);
  updates.add(1, int64_t{1});
  EXPECT_EQ(std::get<int64_t>(updates.byId().at(1).sum), INT64_MIN);
}

}  // namespace

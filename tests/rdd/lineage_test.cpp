// Rdd::toDebugString: Spark's layout of the lineage, line for line.
//
// Each expected string is written out whole. Call sites are captured with
// __LINE__ - 1 on the line after each call, ids from the RDD handles.

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include <ember/ember.hpp>

#include "support/temp_dir.hpp"

namespace {

using ember::testing::TempDir;

std::string at(const char* operation, int line) {
  return std::string(operation) + " at lineage_test.cpp:" + std::to_string(line);
}

std::string id(int value) { return "[" + std::to_string(value) + "]"; }

class Lineage : public ::testing::Test {
 protected:
  ember::Context ctx{ember::Conf().set("ember.master", "local[2]")};
};

using Pair = std::pair<std::string, int>;

std::vector<Pair> somePairs() { return {{"a", 1}, {"b", 2}, {"a", 3}, {"c", 4}}; }

TEST_F(Lineage, WordCountMatchesSparkLayout) {
  TempDir dir;
  // 30 bytes cut into 3 splits of 10.
  std::string path = dir.write("words.txt", "one two three\nfour five six!\n\n");
  auto lines = ctx.textFile(path, 3);
  const int textFileLine = __LINE__ - 1;
  ASSERT_EQ(lines.getNumPartitions(), 3);
  auto words = lines.flatMap([](const std::string& l) { return ember::splitWords(l); });
  const int flatMapLine = __LINE__ - 1;
  auto ones = words.map([](const std::string& w) { return std::pair{w, 1}; });
  const int mapLine = __LINE__ - 1;
  auto counts = ones.reduceByKey([](int a, int b) { return a + b; }, 2);
  const int reduceLine = __LINE__ - 1;

  const std::string expected =
      "(2) ShuffledRDD" + id(counts.id()) + " at " + at("reduceByKey", reduceLine) + " []\n" +
      " +-(3) MapPartitionsRDD" + id(ones.id()) + " at " + at("map", mapLine) + " []\n" +
      "    |  MapPartitionsRDD" + id(words.id()) + " at " + at("flatMap", flatMapLine) + " []\n" +
      "    |  " + path + " TextFileRDD" + id(lines.id()) + " at " + at("textFile", textFileLine) +
      " []";
  EXPECT_EQ(counts.toDebugString(), expected);
}

TEST_F(Lineage, IdsIncreaseInCreationOrder) {
  auto a = ctx.parallelize(somePairs(), 2);
  auto b = a.map([](const Pair& p) { return p; });
  auto c = b.reduceByKey([](int x, int y) { return x + y; });
  EXPECT_LT(a.id(), b.id());
  EXPECT_LT(b.id(), c.id());
}

TEST_F(Lineage, NarrowChainHasNoIndentation) {
  auto data = ctx.parallelize(std::vector<int>{1, 2, 3}, 2);
  const int parallelizeLine = __LINE__ - 1;
  auto doubled = data.map([](int x) { return 2 * x; });
  const int mapLine = __LINE__ - 1;
  auto even = doubled.filter([](int x) { return x % 4 == 0; });
  const int filterLine = __LINE__ - 1;

  const std::string expected = "(2) MapPartitionsRDD" + id(even.id()) + " at " +
                               at("filter", filterLine) + " []\n" + " |  MapPartitionsRDD" +
                               id(doubled.id()) + " at " + at("map", mapLine) + " []\n" +
                               " |  ParallelCollectionRDD" + id(data.id()) + " at " +
                               at("parallelize", parallelizeLine) + " []";
  EXPECT_EQ(even.toDebugString(), expected);
}

TEST_F(Lineage, SourceAloneIsOneLine) {
  auto data = ctx.parallelize(std::vector<int>{1, 2, 3}, 3);
  const int line = __LINE__ - 1;
  EXPECT_EQ(data.toDebugString(),
            "(3) ParallelCollectionRDD" + id(data.id()) + " at " + at("parallelize", line) + " []");
}

TEST_F(Lineage, UnionShowsBothParents) {
  auto left = ctx.parallelize(std::vector<int>{1, 2}, 2);
  const int leftLine = __LINE__ - 1;
  auto right = ctx.parallelize(std::vector<int>{3, 4, 5}, 3);
  const int rightLine = __LINE__ - 1;
  auto both = left.union_(right);
  const int unionLine = __LINE__ - 1;

  const std::string expected = "(5) UnionRDD" + id(both.id()) + " at " + at("union", unionLine) +
                               " []\n" + " |  ParallelCollectionRDD" + id(left.id()) + " at " +
                               at("parallelize", leftLine) + " []\n" + " |  ParallelCollectionRDD" +
                               id(right.id()) + " at " + at("parallelize", rightLine) + " []";
  EXPECT_EQ(both.toDebugString(), expected);
}

TEST_F(Lineage, UnionOfNarrowChainsKeepsOneColumn) {
  auto left = ctx.parallelize(std::vector<int>{1, 2}, 2);
  const int leftLine = __LINE__ - 1;
  auto leftMapped = left.map([](int x) { return x + 1; });
  const int leftMapLine = __LINE__ - 1;
  auto right = ctx.parallelize(std::vector<int>{3}, 1);
  const int rightLine = __LINE__ - 1;
  auto both = leftMapped.union_(right);
  const int unionLine = __LINE__ - 1;

  const std::string expected =
      "(3) UnionRDD" + id(both.id()) + " at " + at("union", unionLine) + " []\n" +
      " |  MapPartitionsRDD" + id(leftMapped.id()) + " at " + at("map", leftMapLine) + " []\n" +
      " |  ParallelCollectionRDD" + id(left.id()) + " at " + at("parallelize", leftLine) + " []\n" +
      " |  ParallelCollectionRDD" + id(right.id()) + " at " + at("parallelize", rightLine) + " []";
  EXPECT_EQ(both.toDebugString(), expected);
}

TEST_F(Lineage, UnionOfTwoShufflesIndentsEachParent) {
  auto a = ctx.parallelize(somePairs(), 2);
  const int aLine = __LINE__ - 1;
  auto aSums = a.reduceByKey([](int x, int y) { return x + y; }, 2);
  const int aReduceLine = __LINE__ - 1;
  auto b = ctx.parallelize(somePairs(), 4);
  const int bLine = __LINE__ - 1;
  auto bSums = b.reduceByKey([](int x, int y) { return x + y; }, 3);
  const int bReduceLine = __LINE__ - 1;
  auto both = aSums.union_(bSums);
  const int unionLine = __LINE__ - 1;

  const std::string expected =
      "(5) UnionRDD" + id(both.id()) + " at " + at("union", unionLine) + " []\n" +
      " |  ShuffledRDD" + id(aSums.id()) + " at " + at("reduceByKey", aReduceLine) + " []\n" +
      " +-(2) ParallelCollectionRDD" + id(a.id()) + " at " + at("parallelize", aLine) + " []\n" +
      " |  ShuffledRDD" + id(bSums.id()) + " at " + at("reduceByKey", bReduceLine) + " []\n" +
      " +-(4) ParallelCollectionRDD" + id(b.id()) + " at " + at("parallelize", bLine) + " []";
  EXPECT_EQ(both.toDebugString(), expected);
}

TEST_F(Lineage, TwoShufflesNestTwice) {
  auto data = ctx.parallelize(somePairs(), 4);
  const int parallelizeLine = __LINE__ - 1;
  auto sums = data.reduceByKey([](int x, int y) { return x + y; }, 3);
  const int firstReduceLine = __LINE__ - 1;
  auto swapped = sums.map([](const Pair& p) { return std::pair{p.second, p.first}; });
  const int mapLine = __LINE__ - 1;
  auto grouped = swapped.groupByKey(2);
  const int groupLine = __LINE__ - 1;

  const std::string expected =
      "(2) ShuffledRDD" + id(grouped.id()) + " at " + at("groupByKey", groupLine) + " []\n" +
      " +-(3) MapPartitionsRDD" + id(swapped.id()) + " at " + at("map", mapLine) + " []\n" +
      "    |  ShuffledRDD" + id(sums.id()) + " at " + at("reduceByKey", firstReduceLine) + " []\n" +
      "    +-(4) ParallelCollectionRDD" + id(data.id()) + " at " +
      at("parallelize", parallelizeLine) + " []";
  EXPECT_EQ(grouped.toDebugString(), expected);
}

TEST_F(Lineage, ThreeShufflesNestThreeTimes) {
  auto data = ctx.parallelize(somePairs(), 2);
  const int l0 = __LINE__ - 1;
  auto s1 = data.partitionBy(3);
  const int l1 = __LINE__ - 1;
  auto s2 = s1.reduceByKey([](int x, int y) { return x + y; }, 4);
  const int l2 = __LINE__ - 1;
  auto s3 = s2.groupByKey(5);
  const int l3 = __LINE__ - 1;

  const std::string expected =
      "(5) ShuffledRDD" + id(s3.id()) + " at " + at("groupByKey", l3) + " []\n" +
      " +-(4) ShuffledRDD" + id(s2.id()) + " at " + at("reduceByKey", l2) + " []\n" +
      "    +-(3) ShuffledRDD" + id(s1.id()) + " at " + at("partitionBy", l1) + " []\n" +
      "       +-(2) ParallelCollectionRDD" + id(data.id()) + " at " + at("parallelize", l0) + " []";
  EXPECT_EQ(s3.toDebugString(), expected);
}

TEST_F(Lineage, TwoDigitPartitionCountsShiftTheColumn) {
  // Spark centres the "|" under the partition count: "(12)" puts it in
  // column 1 and pads with three spaces.
  auto data = ctx.parallelize(somePairs(), 12);
  const int l0 = __LINE__ - 1;
  auto mapped = data.map([](const Pair& p) { return p; });
  const int l1 = __LINE__ - 1;
  auto sums = mapped.reduceByKey([](int x, int y) { return x + y; }, 10);
  const int l2 = __LINE__ - 1;
  auto again = sums.mapValues([](int v) { return v + 1; });
  const int l3 = __LINE__ - 1;

  const std::string expected =
      "(10) MapPartitionsRDD" + id(again.id()) + " at " + at("mapValues", l3) + " []\n" +
      " |   ShuffledRDD" + id(sums.id()) + " at " + at("reduceByKey", l2) + " []\n" +
      " +-(12) MapPartitionsRDD" + id(mapped.id()) + " at " + at("map", l1) + " []\n" +
      "    |   ParallelCollectionRDD" + id(data.id()) + " at " + at("parallelize", l0) + " []";
  EXPECT_EQ(again.toDebugString(), expected);
}

TEST_F(Lineage, DebugStringDoesNotRunAJob) {
  struct JobCounter : ember::SchedulerListener {
    void onJobStart(const ember::JobStartEvent&) override { ++jobs; }
    int jobs = 0;
  };
  auto counter = std::make_shared<JobCounter>();
  ctx.addListener(counter);
  auto rdd = ctx.parallelize(somePairs(), 2).reduceByKey([](int x, int y) { return x + y; });
  (void)rdd.toDebugString();
  EXPECT_EQ(counter->jobs, 0);
  rdd.count();
  EXPECT_EQ(counter->jobs, 1);
  ctx.removeListener(counter);
}

}  // namespace

// Shuffles, aggregations and sorts under a memory budget far smaller than
// their data: every spill path must run (map-side combine tables, bucket
// writers, reduce-side aggregation with its recursive split, sorted runs and
// their merge, groupByKey and cogroup groups), the task metrics must say so,
// the answers must still equal a plain loop's, and no spill file may outlive
// the job that wrote it (nor, for shuffle outputs, the RDDs that own it).

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "support/metrics.hpp"
#include "support/pairs.hpp"
#include "support/reference.hpp"
#include "support/shapes.hpp"
#include "support/temp_dir.hpp"

namespace {

using ember::testing::MetricsRecorder;
using ember::testing::plainGroups;
using ember::testing::plainSums;
using ember::testing::randomInts;
using ember::testing::ShapedTest;
using ember::testing::sorted;
using ember::testing::TempDir;

/// A key long enough to own heap memory (past the small-string buffer), so
/// tables grow by more than their slots.
std::string longKey(int k) {
  std::string digits = std::to_string(k);
  return "key-" + std::string(8 - std::min<size_t>(8, digits.size()), '0') + digits + "-spilled";
}

/// n (key, value) records over `keys` distinct long string keys.
std::vector<std::pair<std::string, int64_t>> stringRecords(int n, int keys, unsigned seed) {
  std::vector<std::pair<std::string, int64_t>> out;
  out.reserve(static_cast<size_t>(n));
  const auto ks = randomInts(n, keys, seed);
  for (int i = 0; i < n; ++i) out.emplace_back(longKey(ks[static_cast<size_t>(i)]), i % 1000);
  return out;
}

template <class K, class V>
std::map<K, V> toMap(const std::vector<std::pair<K, V>>& pairs) {
  return std::map<K, V>(pairs.begin(), pairs.end());
}

/// A context whose budget is 1 MiB (0.6 MiB for execution and storage, a
/// quarter of that per task on local[4]), spilling into a fresh directory.
class Spill : public ShapedTest {
 protected:
  ember::Conf conf() const override {
    return ember::Conf().set("ember.executor.memory", "1m").set("ember.local.dir", dir_.path());
  }

  void SetUp() override { ctx().addListener(recorder_); }

  /// A second context like ctx(), with the given setting changed.
  std::unique_ptr<ember::Context> contextWith(const std::string& key, const std::string& value) {
    auto c =
        std::make_unique<ember::Context>(conf().set("ember.master", GetParam()).set(key, value));
    c->addListener(recorder_);
    return c;
  }

  /// The files under ember.local.dir whose names start with `prefix`.
  std::vector<std::string> filesInLocalDir(const std::string& prefix = "") const {
    std::vector<std::string> files;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_.path())) {
      const std::string name = entry.path().filename().string();
      if (entry.is_regular_file() && name.starts_with(prefix)) files.push_back(name);
    }
    return files;
  }
  /// Spill runs of sorts and aggregations, which only the task that wrote
  /// them reads.
  std::vector<std::string> taskRunsInLocalDir() const {
    auto runs = filesInLocalDir("aggregation");
    for (auto& f : filesInLocalDir("sort")) runs.push_back(f);
    return runs;
  }

  static void expectSpilled(const ember::TaskMetrics& m, const char* where) {
    EXPECT_GT(m.memoryBytesSpilled, 0) << where << " did not spill";
    EXPECT_GT(m.diskBytesSpilled, 0) << where << " wrote no spill bytes";
  }

  TempDir dir_;
  std::shared_ptr<MetricsRecorder> recorder_ = std::make_shared<MetricsRecorder>();
};
EMBER_INSTANTIATE_SHAPES(Spill);

TEST_P(Spill, ReduceByKeySpillsBothSidesAndStillAddsUp) {
  const auto records = stringRecords(200000, 60000, 1);
  auto sums = ctx().parallelize(records, 4).reduceByKey(std::plus<>{}, 2).collect();
  expectSpilled(recorder_->mapStages(), "the map-side combine");
  expectSpilled(recorder_->resultStages(), "the reduce-side aggregation");
  EXPECT_EQ(sums.size(), plainSums(records).size()) << "a key came out twice";
  EXPECT_EQ(toMap(sums), plainSums(records));
  EXPECT_TRUE(taskRunsInLocalDir().empty());
}

TEST_P(Spill, AggregationSplitsAgainWhenAGroupStillDoesNotFit) {
  // Unique keys, uncompressed: the first spill writes about what the
  // shuffle read; splitting a spilled group again writes it a second time.
  auto c = contextWith("ember.shuffle.compress", "false");
  std::vector<std::pair<std::string, int64_t>> records;
  for (int i = 0; i < 200000; ++i) records.emplace_back(longKey(i * 7919 % 200000), i);
  recorder_->clear();
  auto sums = c->parallelize(records, 4).reduceByKey(std::plus<>{}, 1).collect();
  const ember::TaskMetrics reduce = recorder_->resultStages();
  EXPECT_GT(reduce.shuffleReadDiskBytes, 0);
  EXPECT_GT(reduce.diskBytesSpilled, reduce.shuffleReadBytes * 3 / 2)
      << "no group of the spilled table was split again";
  EXPECT_EQ(toMap(sums), plainSums(records));
}

TEST_P(Spill, AggregatingInPlaceOnAPlacedRddSpillsToo) {
  // reduceByKey and groupByKey onto the partitioner in place run without a
  // shuffle, in the result stage, through the same spilling table.
  const auto records = stringRecords(200000, 60000, 11);
  auto placed = ctx().parallelize(records, 4).partitionBy(2);
  recorder_->clear();
  auto sums = placed.reduceByKey(std::plus<>{}).collect();
  EXPECT_EQ(recorder_->stagesPerJob(), std::vector<int>{2}) << "reduceByKey shuffled again";
  expectSpilled(recorder_->resultStages(), "the in-place aggregation");
  EXPECT_EQ(sums.size(), plainSums(records).size()) << "a key came out twice";
  EXPECT_EQ(toMap(sums), plainSums(records));
  recorder_->clear();
  size_t twice = 0;
  EXPECT_EQ(ember::testing::asGroups(placed.groupByKey().collect(), &twice), plainGroups(records));
  EXPECT_EQ(twice, 0u);
  expectSpilled(recorder_->resultStages(), "the in-place groupByKey");
  EXPECT_TRUE(taskRunsInLocalDir().empty());
}

TEST_P(Spill, KeysOfAUserTypeTravelThroughSpillFiles) {
  std::vector<std::pair<ember::testing::UserKey, int64_t>> records;
  const auto xs = randomInts(150000, 50000, 12);
  for (size_t i = 0; i < xs.size(); ++i)
    records.emplace_back(ember::testing::UserKey{longKey(xs[i] % 20000), xs[i] % 3},
                         static_cast<int64_t>(i));
  auto sums = ctx().parallelize(records, 4).reduceByKey(std::plus<>{}, 3).collect();
  expectSpilled(recorder_->mapStages(), "the map-side combine");
  expectSpilled(recorder_->resultStages(), "the reduce side");
  size_t twice = 0;
  EXPECT_EQ(ember::testing::asMap(sums, &twice), plainSums(records));
  EXPECT_EQ(twice, 0u);
}

TEST_P(Spill, GroupByKeyOfOneHugeKeyKeepsEveryValue) {
  std::vector<std::pair<std::string, int64_t>> records;
  const auto xs = randomInts(200000, 5000, 2);
  for (size_t i = 0; i < xs.size(); ++i)
    records.emplace_back(xs[i] < 3500 ? std::string("hot") : longKey(xs[i]),
                         static_cast<int64_t>(i));
  auto groups = ctx().parallelize(records, 4).groupByKey(3).collect();
  expectSpilled(recorder_->resultStages(), "the reduce side of groupByKey");
  size_t twice = 0;
  EXPECT_EQ(ember::testing::asGroups(groups, &twice), plainGroups(records));
  EXPECT_EQ(twice, 0u) << "keys came out in several groups";
  EXPECT_TRUE(taskRunsInLocalDir().empty());
}

TEST_P(Spill, PartitionBySpillsBucketsAndPlacesEveryRecord) {
  std::vector<std::pair<int, int64_t>> records;
  for (int x : randomInts(300000, 1 << 30, 3)) records.emplace_back(x, x / 3);
  auto parts = ctx().parallelize(records, 3).partitionBy(4).glom().collect();
  expectSpilled(recorder_->mapStages(), "the bucket writer");
  ASSERT_EQ(parts.size(), 4u);
  const ember::HashPartitioner byHash(4);
  std::vector<std::pair<int, int64_t>> all;
  for (size_t p = 0; p < parts.size(); ++p) {
    for (const auto& kv : parts[p]) {
      ASSERT_EQ(byHash.getPartition(kv.first), static_cast<int>(p));
      all.push_back(kv);
    }
  }
  EXPECT_EQ(sorted(all), sorted(records));
}

TEST_P(Spill, SortByKeyMergesSortedRuns) {
  std::vector<std::pair<int, int64_t>> records;
  const auto xs = randomInts(300000, 100000, 4);
  for (size_t i = 0; i < xs.size(); ++i) records.emplace_back(xs[i], static_cast<int64_t>(i));
  for (bool ascending : {true, false}) {
    SCOPED_TRACE(ascending ? "ascending" : "descending");
    recorder_->clear();
    auto out = ctx().parallelize(records, 4).sortByKey(ascending, 2).collect();
    expectSpilled(recorder_->resultStages(), "the sort");
    ASSERT_EQ(out.size(), records.size());
    for (size_t i = 1; i < out.size(); ++i) {
      ASSERT_TRUE(ascending ? out[i - 1].first <= out[i].first : out[i - 1].first >= out[i].first)
          << "at " << i;
    }
    EXPECT_EQ(sorted(out), sorted(records));
    EXPECT_TRUE(taskRunsInLocalDir().empty());
  }
}

TEST_P(Spill, CogroupSpillsAndKeepsBothSidesGroups) {
  std::vector<std::pair<int, int64_t>> left;
  std::vector<std::pair<int, std::string>> right;
  for (int x : randomInts(150000, 20000, 5)) left.emplace_back(x, x * 2);
  for (int x : randomInts(60000, 30000, 6)) right.emplace_back(x, longKey(x));
  std::map<int, std::pair<std::vector<int64_t>, std::vector<std::string>>> expected;
  for (const auto& [k, v] : left) expected[k].first.push_back(v);
  for (const auto& [k, w] : right) expected[k].second.push_back(w);
  for (auto& [k, g] : expected) g = {sorted(g.first), sorted(g.second)};
  auto groups = ctx().parallelize(left, 3).cogroup(ctx().parallelize(right, 2), 2).collect();
  expectSpilled(recorder_->resultStages(), "the reduce side of cogroup");
  std::map<int, std::pair<std::vector<int64_t>, std::vector<std::string>>> got;
  for (auto& [k, g] : groups) {
    EXPECT_TRUE(got.emplace(k, std::pair(sorted(g.first), sorted(g.second))).second)
        << "key " << k << " came out twice";
  }
  EXPECT_EQ(got, expected);
}

TEST_P(Spill, JoinsWhoseSmallerSideDoesNotFitFallBackToSpilledGroups) {
  // Both sides far over the budget: the hash join cannot build its table
  // and must group both sides in the table that spills, for every outer kind.
  std::vector<std::pair<int, int64_t>> left;
  std::vector<std::pair<int, std::string>> right;
  for (int x : randomInts(120000, 40000, 8)) left.emplace_back(x, x * 3);
  for (int x : randomInts(80000, 60000, 9)) right.emplace_back(x, longKey(x));
  std::multimap<int, std::string> byKey(right.begin(), right.end());
  std::multimap<int, int64_t> leftByKey(left.begin(), left.end());
  std::vector<std::pair<int, std::pair<std::optional<int64_t>, std::optional<std::string>>>> want;
  for (const auto& [k, v] : left) {
    auto [lo, hi] = byKey.equal_range(k);
    if (lo == hi) want.push_back({k, {v, std::nullopt}});
    for (auto it = lo; it != hi; ++it) want.push_back({k, {v, it->second}});
  }
  for (const auto& [k, w] : right) {
    if (!leftByKey.contains(k)) want.push_back({k, {std::nullopt, w}});
  }
  auto got = ctx().parallelize(left, 3).fullOuterJoin(ctx().parallelize(right, 2), 2).collect();
  expectSpilled(recorder_->resultStages(), "the reduce side of fullOuterJoin");
  EXPECT_EQ(sorted(got), sorted(want));
}

TEST_P(Spill, DistinctAndCountByKeyAddUpUnderSpills) {
  std::vector<int> xs = randomInts(200000, 150000, 7);
  std::map<int, int64_t> counts;
  for (int x : xs) ++counts[x];
  auto rdd = ctx().parallelize(xs, 2);  // 100k records a task: the table outgrows 0.6 MiB
  std::vector<int> keys;
  for (const auto& kv : counts) keys.push_back(kv.first);
  EXPECT_EQ(sorted(rdd.distinct(3).collect()), keys);
  expectSpilled(recorder_->mapStages(), "distinct's map-side combine");
  EXPECT_EQ(rdd.map([](int x) { return std::pair(x, 0); }).countByKey(), counts);
}

TEST_P(Spill, GivesTheSameAnswersWithoutCompression) {
  auto c = contextWith("ember.shuffle.compress", "false");
  const auto records = stringRecords(150000, 50000, 8);
  recorder_->clear();
  EXPECT_EQ(toMap(c->parallelize(records, 4).reduceByKey(std::plus<>{}, 3).collect()),
            plainSums(records));
  expectSpilled(recorder_->total(), "reduceByKey");
  recorder_->clear();
  auto out = c->parallelize(records, 3).sortByKey(true, 2).collect();
  expectSpilled(recorder_->resultStages(), "sortByKey");
  EXPECT_EQ(sorted(out), sorted(records));
  for (size_t i = 1; i < out.size(); ++i) ASSERT_LE(out[i - 1].first, out[i].first);
}

TEST_P(Spill, LeavesNoFilesOnceJobsAndTheirRddsAreDone) {
  const auto records = stringRecords(150000, 50000, 9);
  {
    auto sums = ctx().parallelize(records, 4).reduceByKey(std::plus<>{}, 2);
    auto sortedPairs = ctx().parallelize(records, 4).sortByKey(true, 2);
    EXPECT_EQ(toMap(sums.collect()), plainSums(records));
    EXPECT_EQ(sortedPairs.count(), static_cast<int64_t>(records.size()));
    expectSpilled(recorder_->total(), "the jobs");
    EXPECT_EQ(taskRunsInLocalDir(), std::vector<std::string>{})
        << "sort or aggregation runs outlived their tasks";
  }
  EXPECT_EQ(filesInLocalDir(), std::vector<std::string>{})
      << "shuffle files outlived the RDDs that own them";
  resetContext();
  EXPECT_TRUE(std::filesystem::is_empty(dir_.path())) << "the scratch directory is still there";
}

TEST_P(Spill, LeavesNoFilesAfterTasksThrow) {
  const auto records = stringRecords(150000, 50000, 10);
  const std::string poison = records[120000].first;
  {
    // Throws in the map stage, after its combine table has spilled.
    auto mapFails = ctx()
                        .parallelize(records, 2)
                        .map([poison](const std::pair<std::string, int64_t>& kv) {
                          if (kv.first == poison) throw std::runtime_error("map side fails");
                          return kv;
                        })
                        .reduceByKey(std::plus<>{}, 2);
    EXPECT_THROW(mapFails.collect(), ember::JobFailed);
    // Throws on the reduce side, while a spilled aggregation drains.
    auto reduceFails = ctx()
                           .parallelize(records, 4)
                           .reduceByKey(std::plus<>{}, 2)
                           .filter([poison](const std::pair<std::string, int64_t>& kv) {
                             if (kv.first == poison) throw std::runtime_error("reduce side fails");
                             return true;
                           });
    EXPECT_THROW(reduceFails.collect(), ember::JobFailed);
    // Throws while a spilled sort merges its runs.
    auto sortFails = ctx()
                         .parallelize(records, 4)
                         .sortByKey(true, 2)
                         .filter([poison](const std::pair<std::string, int64_t>& kv) {
                           if (kv.first == poison) throw std::runtime_error("sort fails");
                           return true;
                         });
    EXPECT_THROW(sortFails.collect(), ember::JobFailed);
    expectSpilled(recorder_->total(), "the failed jobs");
    EXPECT_EQ(taskRunsInLocalDir(), std::vector<std::string>{})
        << "a failed task left its sort or aggregation runs behind";
  }
  EXPECT_EQ(filesInLocalDir(), std::vector<std::string>{})
      << "shuffle files of failed jobs outlived their RDDs";
  // The context still works, and spills again.
  EXPECT_EQ(toMap(ctx().parallelize(records, 4).reduceByKey(std::plus<>{}, 2).collect()),
            plainSums(records));
  resetContext();
  EXPECT_TRUE(std::filesystem::is_empty(dir_.path())) << "the scratch directory is still there";
}

}  // namespace

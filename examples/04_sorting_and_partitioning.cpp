// Tutorial 04: sorting and partitioning.
//
// What to look at:
//   1. getNumPartitions() and glom(): glom turns each partition into one
//      vector, so you can see which records live together.
//   2. sortByKey samples the keys (a small job) to choose ranges, then
//      shuffles with a RangePartitioner: every key of partition i comes
//      before every key of partition i+1, and each partition is sorted. So
//      collect() returns the whole RDD in order without one task sorting it
//      all. sortBy(f) is sortByKey on the keys f computes.
//   3. HashPartitioner(4) sends key k to hash(k) mod 4 (for a non-negative
//      integer the hash is the number itself): every partition gets keys from
//      the whole range. RangePartitioner(bounds) cuts the key range at the
//      bounds (partition i holds keys up to bounds[i]): contiguous ranges,
//      which is what sorting needs.
//   4. partitioner() says how a shuffle placed the keys. mapValues keeps it;
//      map drops it (it could change the keys). On an RDD placed by
//      partitionBy, reduceByKey adds no shuffle; after a map it needs one.
//   5. repartitionAndSortWithinPartitions: a secondary sort in one shuffle.
//      The key is (user, time); a partitioner of our own places records by
//      user only, and the shuffle sorts each partition by the whole key, so
//      each user's events arrive together and in time order.
//
// Run it:  build/release/examples/04_sorting_and_partitioning [--master local[N]]
//
// The output you should see (the same with any local[N]):
//   1. parallelize(12 numbers, 4): getNumPartitions() = 4; glom(): [0 1 2] [3 4 5] ...
//   2. sortByKey() on 1000 keys (key = i * 7919 mod 10000): four partitions
//      of about 250 keys with increasing ranges (0 .. 2559, 2572 .. 4959, ...:
//      the bounds come from a sample), "collect() is sorted: yes", the five
//      largest keys 9991 9987 9974 9961 9948, and the words longest first:
//      partition executor shuffle lineage narrow driver ...
//   3. HashPartitioner(4): 250 keys each, partition i holding the keys k with
//      k mod 4 = i, from near 0 to near 9999 (0 .. 9948, 17 .. 9961, ...);
//      RangePartitioner: 0 .. 2490, 2503 .. 4989, 5002 .. 7488, 7501 .. 9991
//   4. partitioner(): parallelize none, partitionBy HashPartitioner(4), then
//      mapValues HashPartitioner(4), then map none; reduceByKey after
//      mapValues: 2 stages (partitionBy's shuffle, then the reduce in place);
//      after map: 2 stages (1 skipped): partitionBy's shuffle is reused, but
//      reduceByKey needs a shuffle of its own
//   5. partition 0: 2@14 2@29 2@44 2@59 2@74 4@7 4@22 4@37 4@77 4@92
//      partition 1: 1@0 1@40 1@55 1@70 1@85 3@3 3@18 ... 5@96

#include <algorithm>
#include <cstdint>
#include <iostream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <ember/ember.hpp>

using Event = std::pair<int64_t, int64_t>;  // (user, time)

// Places an event by its user only, so that all of a user's events share a
// partition whatever their time. A partitioner has numPartitions, equals and
// describe (for the scheduler and lineage) and a getPartition for its key type.
class ByUser final : public ember::Partitioner {
 public:
  explicit ByUser(int numPartitions) : numPartitions_(numPartitions) {}
  int numPartitions() const override { return numPartitions_; }
  int getPartition(const Event& key) const { return static_cast<int>(key.first % numPartitions_); }
  bool equals(const ember::Partitioner& other) const override {
    const auto* byUser = dynamic_cast<const ByUser*>(&other);
    return byUser && byUser->numPartitions_ == numPartitions_;
  }
  std::string describe() const override { return "ByUser(" + std::to_string(numPartitions_) + ")"; }

 private:
  int numPartitions_;
};

// Counts the stages of each job, as in tutorial 02.
class StageCount : public ember::SchedulerListener {
 public:
  void onStageCompleted(const ember::StageCompletedEvent& e) override {
    (e.skipped ? skipped_ : stages_)++;
  }
  void onJobEnd(const ember::JobEndEvent&) override {
    last_ = std::to_string(stages_) + " stages" +
            (skipped_ > 0 ? " (" + std::to_string(skipped_) + " skipped)" : "");
    stages_ = skipped_ = 0;
  }
  const std::string& lastJob() const { return last_; }

 private:
  int stages_ = 0;
  int skipped_ = 0;
  std::string last_;
};

// "partition i: n keys, first .. last" for each partition glom() returned.
template <class V>
void printKeyRanges(const std::vector<std::vector<std::pair<int64_t, V>>>& partitions) {
  for (size_t i = 0; i < partitions.size(); ++i) {
    const auto& part = partitions[i];
    auto [lo, hi] = std::minmax_element(part.begin(), part.end());
    std::cout << "   partition " << i << ": " << part.size() << " keys";
    if (!part.empty()) std::cout << ", " << lo->first << " .. " << hi->first;
    std::cout << "\n";
  }
}

std::string describe(const ember::PartitionerPtr& p) { return p ? p->describe() : "none"; }

int main(int argc, char** argv) {
  ember::Context ctx(argc, argv);
  auto stages = std::make_shared<StageCount>();
  ctx.addListener(stages);

  // 1. Partitions, seen through glom().
  std::vector<int64_t> twelve;
  for (int64_t i = 0; i < 12; ++i) twelve.push_back(i);
  auto small = ctx.parallelize(twelve, 4);
  std::cout << "1. parallelize(12 numbers, 4): getNumPartitions() = " << small.getNumPartitions()
            << "; glom():";
  for (const auto& part : small.glom().collect()) {
    std::cout << " [";
    for (size_t j = 0; j < part.size(); ++j) std::cout << (j ? " " : "") << part[j];
    std::cout << "]";
  }
  std::cout << "\n\n";

  // 2. sortByKey: range-partitioned, then sorted within each partition.
  std::vector<std::pair<int64_t, int64_t>> records;
  for (int64_t i = 0; i < 1000; ++i) records.emplace_back(i * 7919 % 10000, i);
  auto pairs = ctx.parallelize(records, 4);
  auto sorted = pairs.sortByKey();
  std::cout << "2. sortByKey() on 1000 keys: " << sorted.getNumPartitions()
            << " partitions, each a range of keys:\n";
  printKeyRanges(sorted.glom().collect());
  auto all = sorted.collect();
  const bool inOrder = std::is_sorted(all.begin(), all.end());
  std::cout << "   collect() is sorted: " << (inOrder ? "yes" : "no")
            << "\n   sortByKey(false).take(5):";
  for (const auto& [key, value] : pairs.sortByKey(false).take(5)) std::cout << " " << key;
  std::cout << "\n";

  std::vector<std::string> words = {"spark",    "shuffle", "partition", "key",    "join",
                                    "sort",     "range",   "hash",      "stage",  "task",
                                    "executor", "driver",  "lineage",   "narrow", "wide"};
  auto byLength = ctx.parallelize(words, 3).sortBy(
      [](const std::string& w) {
        return std::pair{w.size(), w};
      },
      false);
  std::cout << "   sortBy((length, word), ascending = false):";
  for (const auto& w : byLength.collect()) std::cout << " " << w;
  std::cout << "\n\n";

  // 3. The same keys under a HashPartitioner and a RangePartitioner.
  std::cout << "3. partitionBy(HashPartitioner(4)):\n";
  printKeyRanges(pairs.partitionBy(ember::HashPartitioner(4)).glom().collect());
  std::cout << "   partitionBy(RangePartitioner(bounds 2500, 5000, 7500)):\n";
  ember::RangePartitioner<int64_t> ranges(std::vector<int64_t>{2500, 5000, 7500});
  printKeyRanges(pairs.partitionBy(ranges).glom().collect());
  std::cout << "\n";

  // 4. partitioner(): which operations keep it, and what it saves.
  auto placed = pairs.partitionBy(ember::HashPartitioner(4));
  auto halved = placed.mapValues([](int64_t v) { return v / 2; });
  auto moved = placed.map([](const auto& kv) { return kv; });
  std::cout << "4. partitioner(): parallelize " << describe(pairs.partitioner()) << ", partitionBy "
            << describe(placed.partitioner()) << ", then mapValues "
            << describe(halved.partitioner()) << ", then map " << describe(moved.partitioner())
            << "\n";
  halved.reduceByKey(std::plus<>{}).count();
  std::cout << "   reduceByKey after mapValues: " << stages->lastJob() << "\n";
  moved.reduceByKey(std::plus<>{}).count();
  std::cout << "   reduceByKey after map: " << stages->lastJob() << "\n\n";

  // 5. Secondary sort: (user, time) keys, placed by user, sorted by both.
  std::vector<std::pair<Event, int64_t>> events;
  for (int64_t i = 0; i < 24; ++i) events.push_back({{i * 3 % 5 + 1, i * 37 % 100}, i});
  auto sessions = ctx.parallelize(events, 3).repartitionAndSortWithinPartitions(ByUser(2));
  std::cout << "5. repartitionAndSortWithinPartitions(ByUser(2)), user@time:\n";
  auto parts = sessions.glom().collect();
  for (size_t i = 0; i < parts.size(); ++i) {
    std::cout << "   partition " << i << ":";
    for (const auto& [event, id] : parts[i]) std::cout << " " << event.first << "@" << event.second;
    std::cout << "\n";
  }
}

// Runs every tutorial on the bundled data, as CI must, and checks what it
// prints against answers computed here independently.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "support/process.hpp"

namespace ember::testing {
namespace {

using ::testing::HasSubstr;

std::map<std::string, int64_t> plainWordCounts(const std::string& path) {
  std::map<std::string, int64_t> counts;
  std::ifstream in(path);
  std::string word;
  while (in >> word) ++counts[word];
  return counts;
}

int64_t plainLineCount(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  int64_t n = 0;
  while (std::getline(in, line)) ++n;
  return n;
}

class WordCountTutorial : public ::testing::TestWithParam<std::string> {};

TEST_P(WordCountTutorial, PrintsTheTopTenWordsAndTheDistinctCount) {
  const std::string input = sourcePath("examples/data/sample.txt");
  ProgramResult run = runProgram({examplePath("01_word_count"), "--master", GetParam(), input});
  ASSERT_EQ(run.exitCode, 0) << run.err;

  auto counts = plainWordCounts(input);
  std::vector<std::pair<std::string, int64_t>> ranked(counts.begin(), counts.end());
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::ostringstream expected;
  expected << "Top words:\n";
  for (size_t i = 0; i < 10; ++i)
    expected << "  " << ranked[i].first << "\t" << ranked[i].second << "\n";
  expected << counts.size() << " distinct words in " << plainLineCount(input) << " lines\n";
  EXPECT_EQ(run.out, expected.str());
}

INSTANTIATE_TEST_SUITE_P(Masters, WordCountTutorial,
                         ::testing::Values("local[1]", "local[2]", "local[3]"),
                         [](const auto& info) { return "local" + std::to_string(info.index); });

TEST(LazyEvaluationTutorial, ShowsLazinessLineageStagesAndASkippedStage) {
  ProgramResult run = runProgram({examplePath("02_lazy_evaluation")});
  ASSERT_EQ(run.exitCode, 0) << run.err;
  int64_t sum = 0;
  for (int64_t i = 0; i < 1000; ++i) sum += i;
  EXPECT_THAT(run.out, HasSubstr("map calls after defining the RDDs: 0\n"));
  EXPECT_THAT(run.out, HasSubstr("(4) ShuffledRDD[2] at reduceByKey at 02_lazy_evaluation.cpp:"));
  EXPECT_THAT(run.out, HasSubstr("\n +-(4) MapPartitionsRDD[1] at map at 02_lazy_evaluation.cpp:"));
  EXPECT_THAT(run.out,
              HasSubstr("\n    |  ParallelCollectionRDD[0] at range at 02_lazy_evaluation.cpp:"));
  EXPECT_THAT(run.out,
              HasSubstr("count(): 10 keys; job 0 ran 2 stages, 8 tasks; map calls: 1000\n"));
  EXPECT_THAT(
      run.out,
      HasSubstr("collect(): 10 keys; job 1 ran 1 stages (1 skipped), 4 tasks; map calls: 1000\n"));
  EXPECT_THAT(run.out, HasSubstr("sum of values: " + std::to_string(sum) + "\n"));
}

// ------------------------------------------------------------------ 03_joins

struct CsvCustomer {
  std::string name;
  std::string country;
};

std::vector<std::string> csvFields(const std::string& line) {
  std::vector<std::string> fields;
  std::stringstream in(line);
  std::string field;
  while (std::getline(in, field, ',')) fields.push_back(field);
  return fields;
}

/// The data rows of a CSV file (the header line dropped), split at commas.
std::vector<std::vector<std::string>> csvRows(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  std::vector<std::vector<std::string>> rows;
  while (std::getline(in, line)) rows.push_back(csvFields(line));
  return rows;
}

/// What 03_joins must print, from the CSV files with plain loops.
std::string expectedJoinsOutput(const std::string& dir) {
  std::map<int64_t, CsvCustomer> customers;
  for (const auto& f : csvRows(dir + "/customers.csv")) {
    // Names and countries fit in a string's inline buffer, which the byte
    // counts below rely on.
    EXPECT_LE(f[1].size(), 15u);
    EXPECT_LE(f[2].size(), 15u);
    customers[std::stoll(f[0])] = {f[1], f[2]};
  }
  std::vector<std::pair<int64_t, int64_t>> orders;  // (customer_id, amount)
  for (const auto& f : csvRows(dir + "/orders.csv"))
    orders.emplace_back(std::stoll(f[1]), std::stoll(f[2]));

  std::map<int64_t, std::vector<int64_t>> ordersOf;
  for (const auto& [id, amount] : orders) ordersOf[id].push_back(amount);
  int64_t joined = 0;
  std::map<std::string, int64_t> revenue;
  for (const auto& [id, amount] : orders) {
    if (auto c = customers.find(id); c != customers.end()) {
      ++joined;
      revenue[c->second.country] += amount;
    }
  }
  std::vector<int64_t> withoutOrders;
  for (const auto& [id, c] : customers)
    if (!ordersOf.count(id)) withoutOrders.push_back(id);
  int64_t unknownOrders = 0;
  std::set<int64_t> unknownIds;
  for (const auto& [id, amount] : orders) {
    if (!customers.count(id)) {
      ++unknownOrders;
      unknownIds.insert(id);
    }
  }
  const int64_t firstNoOrder = withoutOrders.front();
  const int64_t firstUnknown = *unknownIds.begin();
  const auto& unknownAmounts = ordersOf[firstUnknown];
  const int64_t smallestUnknownAmount =
      *std::min_element(unknownAmounts.begin(), unknownAmounts.end());
  std::set<int64_t> keys;
  for (const auto& [id, c] : customers) keys.insert(id);
  for (const auto& [id, amount] : orders) keys.insert(id);

  const auto nCustomers = static_cast<int64_t>(customers.size());
  const auto nOrders = static_cast<int64_t>(orders.size());
  const int64_t all = nCustomers + nOrders;
  // Bytes are the in-memory size of the shuffled records: (key, value
  // tagged with its side) for the join, the plain pairs for partitionBy.
  using Customer = std::pair<std::string, std::string>;
  const int64_t joinBytes =
      all * static_cast<int64_t>(sizeof(std::pair<int64_t, std::variant<Customer, int64_t>>));
  const int64_t placedBytes =
      nCustomers * static_cast<int64_t>(sizeof(std::pair<int64_t, Customer>)) +
      nOrders * static_cast<int64_t>(sizeof(std::pair<int64_t, int64_t>));
  auto cost = [](int stages, int skipped, int64_t wrote, int64_t wroteBytes, int64_t read,
                 int64_t readBytes) {
    return std::to_string(stages) + " stages" +
           (skipped ? " (" + std::to_string(skipped) + " skipped)" : "") + "; shuffle wrote " +
           std::to_string(wrote) + " records (" + std::to_string(wroteBytes) + " bytes), read " +
           std::to_string(read) + " records (" + std::to_string(readBytes) + " bytes)";
  };
  // HashPartitioner(4) sends a non-negative integer key k to k mod 4.
  std::map<int64_t, int64_t> readBy;
  for (const auto& [id, c] : customers) ++readBy[id % 4];
  for (const auto& [id, amount] : orders) ++readBy[id % 4];

  std::ostringstream out;
  out << "customers.csv: " << nCustomers << " customers; orders.csv: " << nOrders << " orders\n\n";
  out << "1. join: " << joined << " pairs (customer_id, (customer, amount))\n"
      << "   revenue by country:";
  for (const auto& [country, total] : revenue) out << " " << country << " " << total;
  out << "\n\n";
  const CsvCustomer& lonely = customers[firstNoOrder];
  out << "2. leftOuterJoin: " << joined + static_cast<int64_t>(withoutOrders.size()) << " pairs; "
      << withoutOrders.size() << " customers have no order, the first: (" << firstNoOrder << ", (("
      << lonely.name << ", " << lonely.country << "), None))\n"
      << "   rightOuterJoin: " << nOrders << " pairs; " << unknownOrders
      << " orders name no known customer, the first: (" << firstUnknown << ", (None, "
      << smallestUnknownAmount << "))\n"
      << "   fullOuterJoin: " << joined + static_cast<int64_t>(withoutOrders.size()) + unknownOrders
      << " pairs\n\n";
  out << "3. cogroup: " << keys.size() << " keys";
  for (int64_t id : {int64_t{7}, firstNoOrder, firstUnknown}) {
    int64_t worth = 0;
    for (int64_t a : ordersOf[id]) worth += a;
    out << "; customer " << id << ": " << customers.count(id) << " customer, "
        << ordersOf[id].size() << " orders worth " << worth;
  }
  out << "\n\n";
  out << "4. shuffle cost\n"
      << "   join: " << cost(2, 0, all, joinBytes, all, joinBytes) << "\n"
      << "   partitionBy both sides, then join: " << cost(3, 0, all, placedBytes, all, placedBytes)
      << "\n"
      << "   join them again: " << cost(1, 2, 0, 0, all, placedBytes) << "\n\n";
  out << "5. records each join task read:";
  int64_t total = 0;
  for (const auto& [partition, records] : readBy) {
    out << " partition " << partition << " " << records;
    total += records;
  }
  const auto hot = static_cast<int64_t>(ordersOf[7].size());
  out << " (of " << total << ")\n   customer 7 alone: " << hot + 1 << " records (1 customer, "
      << hot << " orders), all in partition " << 7 % 4 << "\n";
  return out.str();
}

class JoinsTutorial : public ::testing::TestWithParam<std::string> {};

TEST_P(JoinsTutorial, PrintsJoinResultsShuffleCostsAndTheSkewedTask) {
  const std::string dir = sourcePath("examples/data");
  ProgramResult run = runProgram({examplePath("03_joins"), "--master", GetParam(), dir});
  ASSERT_EQ(run.exitCode, 0) << run.err;
  EXPECT_EQ(run.out, expectedJoinsOutput(dir));
}

INSTANTIATE_TEST_SUITE_P(Masters, JoinsTutorial,
                         ::testing::Values("local[1]", "local[2]", "local[3]"),
                         [](const auto& info) { return "local" + std::to_string(info.index); });

// ------------------------------------------------- 04_sorting_and_partitioning

using KeyedRecord = std::pair<int64_t, int64_t>;

/// "   partition i: n keys, first .. last" for each group of records.
std::string keyRanges(const std::vector<std::vector<KeyedRecord>>& partitions) {
  std::ostringstream out;
  for (size_t i = 0; i < partitions.size(); ++i) {
    std::vector<int64_t> keys;
    for (const auto& kv : partitions[i]) keys.push_back(kv.first);
    out << "   partition " << i << ": " << keys.size() << " keys";
    if (!keys.empty())
      out << ", " << *std::min_element(keys.begin(), keys.end()) << " .. "
          << *std::max_element(keys.begin(), keys.end());
    out << "\n";
  }
  return out.str();
}

/// Checks the sortByKey ranges the program printed (their bounds come from a
/// sample, so only their properties are known): they tile the sorted keys in
/// order, each partition about a quarter of them. Returns the lines checked.
std::string checkSortedRanges(const std::string& output, std::vector<int64_t> keys) {
  std::sort(keys.begin(), keys.end());
  const std::string heading = "2. sortByKey() on 1000 keys: 4 partitions, each a range of keys:\n";
  const size_t at = output.find(heading);
  EXPECT_NE(at, std::string::npos) << output;
  if (at == std::string::npos) return "";
  std::istringstream lines(output.substr(at + heading.size()));
  std::string printed;
  size_t start = 0;
  for (int i = 0; i < 4; ++i) {
    std::string line;
    std::getline(lines, line);
    printed += line + "\n";
    int partition = -1;
    size_t count = 0;
    long long first = -1;
    long long last = -1;
    if (std::sscanf(line.c_str(), "   partition %d: %zu keys, %lld .. %lld", &partition, &count,
                    &first, &last) != 4 ||
        start + count > keys.size() || count == 0) {
      ADD_FAILURE() << "not a range of the remaining keys: " << line;
      return printed;
    }
    EXPECT_EQ(partition, i);
    EXPECT_GE(count, 150u) << line;  // a range partitioner balances by sampling
    EXPECT_LE(count, 350u) << line;
    EXPECT_EQ(first, keys[start]) << line;
    EXPECT_EQ(last, keys[start + count - 1]) << line;
    start += count;
  }
  EXPECT_EQ(start, keys.size());
  return printed;
}

std::string expectedSortingOutput(const std::string& sortedRanges) {
  std::ostringstream out;
  out << "1. parallelize(12 numbers, 4): getNumPartitions() = 4; glom():";
  for (int p = 0; p < 4; ++p) {  // parallelize slices [p * n / 4, (p + 1) * n / 4)
    out << " [";
    for (int i = p * 12 / 4; i < (p + 1) * 12 / 4; ++i) out << (i > p * 12 / 4 ? " " : "") << i;
    out << "]";
  }
  out << "\n\n";

  std::vector<KeyedRecord> records;
  for (int64_t i = 0; i < 1000; ++i) records.emplace_back(i * 7919 % 10000, i);
  std::vector<int64_t> descending;
  for (const auto& kv : records) descending.push_back(kv.first);
  std::sort(descending.rbegin(), descending.rend());
  out << "2. sortByKey() on 1000 keys: 4 partitions, each a range of keys:\n"
      << sortedRanges << "   collect() is sorted: yes\n   sortByKey(false).take(5):";
  for (int i = 0; i < 5; ++i) out << " " << descending[i];
  out << "\n";
  std::vector<std::string> words = {"spark",    "shuffle", "partition", "key",    "join",
                                    "sort",     "range",   "hash",      "stage",  "task",
                                    "executor", "driver",  "lineage",   "narrow", "wide"};
  std::sort(words.begin(), words.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() > b.size() : a > b;
  });
  out << "   sortBy((length, word), ascending = false):";
  for (const auto& w : words) out << " " << w;
  out << "\n\n";

  std::vector<std::vector<KeyedRecord>> hashed(4);
  std::vector<std::vector<KeyedRecord>> ranged(4);
  const std::vector<int64_t> bounds = {2500, 5000, 7500};
  for (const auto& kv : records) {
    hashed[static_cast<size_t>(kv.first % 4)].push_back(kv);
    size_t r = 0;
    while (r < bounds.size() && kv.first > bounds[r]) ++r;  // bound i is partition i's last key
    ranged[r].push_back(kv);
  }
  out << "3. partitionBy(HashPartitioner(4)):\n"
      << keyRanges(hashed) << "   partitionBy(RangePartitioner(bounds 2500, 5000, 7500)):\n"
      << keyRanges(ranged) << "\n";

  out << "4. partitioner(): parallelize none, partitionBy HashPartitioner(4), then mapValues "
         "HashPartitioner(4), then map none\n"
      << "   reduceByKey after mapValues: 2 stages\n"
      << "   reduceByKey after map: 2 stages (1 skipped)\n\n";

  std::vector<std::vector<std::pair<int64_t, int64_t>>> byUser(2);  // (user, time)
  for (int64_t i = 0; i < 24; ++i) {
    const int64_t user = i * 3 % 5 + 1;
    byUser[static_cast<size_t>(user % 2)].emplace_back(user, i * 37 % 100);
  }
  out << "5. repartitionAndSortWithinPartitions(ByUser(2)), user@time:\n";
  for (size_t p = 0; p < byUser.size(); ++p) {
    std::sort(byUser[p].begin(), byUser[p].end());
    out << "   partition " << p << ":";
    for (const auto& [user, time] : byUser[p]) out << " " << user << "@" << time;
    out << "\n";
  }
  return out.str();
}

class SortingTutorial : public ::testing::TestWithParam<std::string> {};

TEST_P(SortingTutorial, PrintsRangesPartitionersAndASecondarySort) {
  ProgramResult run =
      runProgram({examplePath("04_sorting_and_partitioning"), "--master", GetParam()});
  ASSERT_EQ(run.exitCode, 0) << run.err;
  std::vector<int64_t> keys;
  for (int64_t i = 0; i < 1000; ++i) keys.push_back(i * 7919 % 10000);
  const std::string ranges = checkSortedRanges(run.out, keys);
  EXPECT_EQ(run.out, expectedSortingOutput(ranges));
}

INSTANTIATE_TEST_SUITE_P(Masters, SortingTutorial,
                         ::testing::Values("local[1]", "local[2]", "local[3]"),
                         [](const auto& info) { return "local" + std::to_string(info.index); });

// ---------------------------------------------------------------- 05_caching

/// The line of 05_caching's output that starts with `prefix`.
std::string lineStartingWith(const std::string& out, const std::string& prefix) {
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with(prefix)) return line;
  }
  return "";
}

/// The number after "computed " in a mode's line.
int64_t computedRecords(const std::string& line) {
  const auto at = line.find("; computed ");
  return at == std::string::npos ? -1 : std::stoll(line.substr(at + 11));
}

class CachingTutorial : public ::testing::TestWithParam<std::string> {};

TEST_P(CachingTutorial, ComputesOncePerLevelAndShowsTheStorageStatus) {
  ProgramResult run = runProgram({examplePath("05_caching"), "--master", GetParam()});
  ASSERT_EQ(run.exitCode, 0) << run.err;
  // Five passes counting the values (a permutation of 0..n-1) at or above
  // n * pass / 10, computed here with a plain loop.
  const int64_t n = 1000000;
  std::vector<int64_t> values;
  for (int64_t x = 0; x < n; ++x) values.push_back(x * 7919 % n);
  std::string answers;
  for (int pass = 1; pass <= 5; ++pass) {
    const int64_t threshold = n * pass / 10;
    answers += (pass > 1 ? " " : "") +
               std::to_string(std::count_if(values.begin(), values.end(),
                                            [&](int64_t v) { return v >= threshold; }));
  }
  for (const char* mode : {"none", "MEMORY_ONLY", "MEMORY_AND_DISK", "DISK_ONLY"}) {
    const std::string line = lineStartingWith(run.out, std::string(mode) + ": ");
    EXPECT_THAT(line, HasSubstr(": answers " + answers + "; computed ")) << run.out;
  }
  EXPECT_EQ(computedRecords(lineStartingWith(run.out, "none: ")), 5 * n);
  const int64_t memoryOnly = computedRecords(lineStartingWith(run.out, "MEMORY_ONLY: "));
  EXPECT_GT(memoryOnly, n);  // 8 MB of numbers, a budget of 4.8 MB
  EXPECT_LT(memoryOnly, 5 * n);
  EXPECT_EQ(computedRecords(lineStartingWith(run.out, "MEMORY_AND_DISK: ")), n);
  EXPECT_EQ(computedRecords(lineStartingWith(run.out, "DISK_ONLY: ")), n);
  EXPECT_THAT(run.out, HasSubstr("StorageLevel: Memory Deserialized 1x Replicated; "
                                 "CachedPartitions: "));
  EXPECT_THAT(run.out, HasSubstr("StorageLevel: Disk Serialized 1x Replicated; CachedPartitions: "
                                 "8; TotalPartitions: 8; MemorySize: 0.0 B; DiskSize: "));
  EXPECT_THAT(run.out, HasSubstr("(8) MapPartitionsRDD["));
  EXPECT_THAT(run.out, HasSubstr("] at map at 05_caching.cpp:"));
  EXPECT_THAT(run.out, HasSubstr(" [Disk Serialized 1x Replicated]\n |       CachedPartitions: 8; "
                                 "MemorySize: 0.0 B; DiskSize: "));
  EXPECT_THAT(run.out, HasSubstr("after unpersist: 0 RDDs cached\n"));
}

INSTANTIATE_TEST_SUITE_P(Masters, CachingTutorial, ::testing::Values("local[1]", "local[4]"),
                         [](const auto& info) { return "local" + std::to_string(info.index); });

/// What tutorial 06 prints for `input`, computed with plain loops; the
/// executors line is left to the caller.
std::string clusterTutorialAnswer(const std::string& input) {
  auto counts = plainWordCounts(input);
  std::vector<std::pair<std::string, int64_t>> ranked(counts.begin(), counts.end());
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  int64_t words = 0;
  for (const auto& [w, n] : counts) words += n;
  std::ostringstream expected;
  expected << counts.size() << " distinct words, " << words << " words in all\n";
  for (size_t i = 0; i < 5; ++i)
    expected << "  " << ranked[i].first << "\t" << ranked[i].second << "\n";
  return expected.str();
}

class ClusterTutorial : public ::testing::TestWithParam<std::string> {};

TEST_P(ClusterTutorial, CountsTheSameOnOneProcessOrThree) {
  const std::string input = sourcePath("examples/data/sample.txt");
  ProgramResult run = runProgram({examplePath("06_cluster"), "--master", GetParam(), input});
  ASSERT_EQ(run.exitCode, 0) << run.err;
  EXPECT_THAT(run.out, ::testing::StartsWith(clusterTutorialAnswer(input)));
  const bool cluster = GetParam().starts_with("local-cluster");
  EXPECT_THAT(run.out, HasSubstr(cluster ? "tasks ran on executors: 1 2 driver\n"
                                         : "tasks ran on executors: driver\n"));
  EXPECT_THAT(run.out, HasSubstr("shuffle read: "));
}

INSTANTIATE_TEST_SUITE_P(Masters, ClusterTutorial,
                         ::testing::Values("local[2]", "local-cluster[3,1]"),
                         [](const auto& info) { return "shape" + std::to_string(info.index); });

TEST(ClusterTutorialUnderEmberRun, ThreeProcessesGiveTheAnswerOfAPlainLoop) {
  const std::string input = sourcePath("examples/data/sample.txt");
  TempDir logs;
  ProgramResult run = runProgram({EMBER_TEST_EMBER_RUN, "-n", "3", "--cores", "1", "--log-dir",
                                  logs.path(), examplePath("06_cluster"), input});
  ASSERT_EQ(run.exitCode, 0) << run.err;
  EXPECT_THAT(run.out, ::testing::StartsWith(clusterTutorialAnswer(input)));
  EXPECT_THAT(run.out, HasSubstr("tasks ran on executors: 1 2 driver\n"));
  EXPECT_TRUE(std::filesystem::exists(logs / "rank-1.log"));
  EXPECT_TRUE(std::filesystem::exists(logs / "rank-2.log"));
}

// ------------------------------------------------------------------
// 07_dataframes_and_the_optimizer

/// Spark's show() table of `rows` under `header`, numbers right-aligned.
std::string showTable(const std::vector<std::string>& header,
                      const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths;
  for (const std::string& h : header) widths.push_back(std::max<size_t>(3, h.size()));
  for (const auto& r : rows)
    for (size_t c = 0; c < r.size(); ++c) widths[c] = std::max(widths[c], r[c].size());
  std::string sep = "+";
  for (size_t w : widths) sep += std::string(w, '-') + "+";
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out = "|";
    for (size_t c = 0; c < cells.size(); ++c)
      out += std::string(widths[c] - cells[c].size(), ' ') + cells[c] + "|";
    return out + "\n";
  };
  std::string out = sep + "\n" + line(header) + sep + "\n";
  for (const auto& r : rows) out += line(r);
  return out + sep + "\n";
}

/// What 07 must answer, from the CSV files with plain loops: the top-5 table,
/// and the customers without an order.
std::pair<std::string, std::string> expectedDataFrameAnswers(const std::string& dir) {
  std::map<int64_t, std::pair<std::string, std::string>> customers;  // id -> (name, country)
  for (const auto& f : csvRows(dir + "/customers.csv")) customers[std::stoll(f[0])] = {f[1], f[2]};
  std::map<std::string, std::pair<int64_t, int64_t>> byCountry;  // revenue, orders
  std::set<int64_t> ordering;
  for (const auto& f : csvRows(dir + "/orders.csv")) {
    const int64_t id = std::stoll(f[1]), amount = std::stoll(f[2]);
    ordering.insert(id);
    const auto c = customers.find(id);
    if (amount <= 100 || c == customers.end()) continue;
    auto& [revenue, orders] = byCountry[c->second.second];
    revenue += amount;
    ++orders;
  }
  std::vector<std::pair<std::string, std::pair<int64_t, int64_t>>> ranked(byCountry.begin(),
                                                                          byCountry.end());
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.second.first > b.second.first; });
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 0; i < 5 && i < ranked.size(); ++i)
    rows.push_back({ranked[i].first, std::to_string(ranked[i].second.first),
                    std::to_string(ranked[i].second.second)});
  int64_t lonely = 0, first = -1;
  for (const auto& [id, c] : customers) {
    if (ordering.count(id)) continue;
    if (lonely++ == 0) first = id;
  }
  return {showTable({"country", "revenue", "orders"}, rows),
          "5. customers without an order: " + std::to_string(lonely) +
              ", the first: " + std::to_string(first) + " " + customers[first].first + "\n"};
}

class DataFramesTutorial : public ::testing::TestWithParam<std::string> {};

TEST_P(DataFramesTutorial, ExplainsPushdownPruningAndTheBroadcastAndAnswersAsLoops) {
  const std::string dir = sourcePath("examples/data");
  ProgramResult run =
      runProgram({examplePath("07_dataframes_and_the_optimizer"), "--master", GetParam(), dir});
  ASSERT_EQ(run.exitCode, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("root\n |-- customer_id: integer (nullable = true)\n"
                                 " |-- name: string (nullable = true)\n"
                                 " |-- country: string (nullable = true)\n"));
  // The optimized plan: the filter below the join, on the orders' side, and
  // both scans pruned to the columns the query uses.
  const size_t optimized = run.out.find("== Optimized Logical Plan ==");
  const size_t physical = run.out.find("== Physical Plan ==");
  ASSERT_NE(optimized, std::string::npos);
  ASSERT_NE(physical, std::string::npos);
  const std::string plan = run.out.substr(optimized, physical - optimized);
  EXPECT_THAT(plan, HasSubstr(":- Filter (amount > 100)\n"));
  EXPECT_THAT(plan, HasSubstr(":  +- Relation [customer_id, amount] csv\n"));
  EXPECT_THAT(plan, HasSubstr("+- Relation [customer_id, country] csv\n"));
  EXPECT_THAT(run.out,
              HasSubstr("BroadcastHashJoin [customer_id], [customer_id], Inner, BuildRight"));
  EXPECT_THAT(run.out, HasSubstr("Exchange hashpartitioning(country, 200)"));
  EXPECT_THAT(run.out,
              HasSubstr("TakeOrderedAndProject(limit=5, orderBy=[revenue DESC NULLS LAST]"));
  const auto [table, lonely] = expectedDataFrameAnswers(dir);
  EXPECT_THAT(run.out, HasSubstr("3. show()\n" + table));
  EXPECT_THAT(run.out,
              HasSubstr("4. with broadcasting off: ShuffledHashJoin, the same 5 rows: yes\n"));
  EXPECT_THAT(run.out, HasSubstr(lonely));
}

INSTANTIATE_TEST_SUITE_P(Masters, DataFramesTutorial,
                         ::testing::Values("local[1]", "local[4]", "local-cluster[3,1]"),
                         [](const auto& info) { return "shape" + std::to_string(info.index); });

TEST(DataFramesTutorialUnderEmberRun, ThreeProcessesGiveTheLoopsAnswer) {
  const std::string dir = sourcePath("examples/data");
  TempDir logs;
  ProgramResult run =
      runProgram({EMBER_TEST_EMBER_RUN, "-n", "3", "--cores", "1", "--log-dir", logs.path(),
                  examplePath("07_dataframes_and_the_optimizer"), dir});
  ASSERT_EQ(run.exitCode, 0) << run.err;
  const auto [table, lonely] = expectedDataFrameAnswers(dir);
  EXPECT_THAT(run.out, HasSubstr("3. show()\n" + table));
  EXPECT_THAT(run.out, HasSubstr(lonely));
}

// ------------------------------------------------------------------
// 08_sql_and_window_functions

/// What 08 must print in parts 3 to 5, from the CSV files with plain loops.
std::vector<std::string> expectedSqlAnswers(const std::string& dir) {
  std::map<int64_t, std::pair<std::string, std::string>> customers;  // id -> (name, country)
  for (const auto& f : csvRows(dir + "/customers.csv")) customers[std::stoll(f[0])] = {f[1], f[2]};
  struct Order {
    int64_t id, customer, amount;
  };
  std::vector<Order> orders;
  for (const auto& f : csvRows(dir + "/orders.csv"))
    orders.push_back({std::stoll(f[0]), std::stoll(f[1]), std::stoll(f[2])});
  std::set<int64_t> big;
  std::vector<std::vector<std::string>> running;
  int64_t total = 0;
  std::map<std::string, std::vector<const Order*>> byCountry;
  std::sort(orders.begin(), orders.end(),
            [](const Order& a, const Order& b) { return a.id < b.id; });
  for (const Order& o : orders) {
    const auto c = customers.find(o.customer);
    if (o.amount > 490 && c != customers.end()) big.insert(o.customer);
    if (o.customer == 26) {
      total += o.amount;
      running.push_back({std::to_string(o.id), std::to_string(o.amount), std::to_string(total)});
    }
    if (c != customers.end()) byCountry[c->second.second].push_back(&o);
  }
  std::vector<std::vector<std::string>> top;
  for (auto& [country, list] : byCountry) {
    std::stable_sort(list.begin(), list.end(),
                     [](const Order* a, const Order* b) { return a->amount > b->amount; });
    std::vector<std::vector<std::string>> two;
    for (size_t i = 0; i < 2 && i < list.size(); ++i)
      two.push_back({country, customers[list[i]->customer].first, std::to_string(list[i]->amount)});
    std::sort(two.begin(), two.end(), [](const auto& a, const auto& b) {
      return std::stoll(a[2]) != std::stoll(b[2]) ? std::stoll(a[2]) > std::stoll(b[2])
                                                  : a[1] < b[1];
    });
    top.insert(top.end(), two.begin(), two.end());
  }
  return {"customers with an order over 490: " + std::to_string(big.size()) +
              ", planned as a LeftSemi join: yes\n",
          showTable({"order_id", "amount", "total_so_far"}, running) +
              "the same with Window::partitionBy: yes\n",
          "5. top 2 orders per country\n" + showTable({"country", "name", "amount"}, top)};
}

class SqlTutorial : public ::testing::TestWithParam<std::string> {};

TEST_P(SqlTutorial, AnswersAsLoopsWithTheDataFramePlanAndACaretUnderTheTypo) {
  const std::string dir = sourcePath("examples/data");
  ProgramResult run =
      runProgram({examplePath("08_sql_and_window_functions"), "--master", GetParam(), dir});
  ASSERT_EQ(run.exitCode, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("|         |customers|       true|\n"));
  EXPECT_THAT(run.out, HasSubstr("2. the report as SQL\n" + expectedDataFrameAnswers(dir).first +
                                 "the same physical plan as the DataFrame calls: yes\n"));
  for (const std::string& part : expectedSqlAnswers(dir)) EXPECT_THAT(run.out, HasSubstr(part));
  EXPECT_THAT(run.out, HasSubstr("Syntax error at or near end of input"));
  EXPECT_THAT(
      run.out,
      HasSubstr("\n== SQL ==\nSELECT name FROM customers WHERE country = 'Japan' ORDER BY\n" +
                std::string(59, '-') + "^\n"));
}

INSTANTIATE_TEST_SUITE_P(Masters, SqlTutorial,
                         ::testing::Values("local[1]", "local[4]", "local-cluster[3,1]"),
                         [](const auto& info) { return "shape" + std::to_string(info.index); });

TEST(SqlTutorialUnderEmberRun, ThreeProcessesGiveTheLoopsAnswer) {
  const std::string dir = sourcePath("examples/data");
  TempDir logs;
  ProgramResult run = runProgram({EMBER_TEST_EMBER_RUN, "-n", "3", "--cores", "1", "--log-dir",
                                  logs.path(), examplePath("08_sql_and_window_functions"), dir});
  ASSERT_EQ(run.exitCode, 0) << run.err;
  for (const std::string& part : expectedSqlAnswers(dir)) EXPECT_THAT(run.out, HasSubstr(part));
}

}  // namespace
}  // namespace ember::testing

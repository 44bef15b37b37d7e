// Rdd::saveAsTextFile: part files, their text, and the commit protocol (the
// output either does not exist or is complete).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <ember/ember.hpp>

#include "support/shapes.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using ember::testing::readFile;
using ember::testing::TempDir;
using ::testing::HasSubstr;

std::vector<std::string> readLines(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << file;
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

/// The names in a directory, sorted.
std::vector<std::string> entries(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::string partName(int p) {
  std::string digits = std::to_string(p);
  return "part-" + std::string(5 - digits.size(), '0') + digits;
}

/// Spark's slicing of a collection of n elements into `slices`: slice i is
/// [i*n/slices, (i+1)*n/slices).
std::pair<size_t, size_t> slice(size_t n, int i, int slices) {
  return {n * static_cast<size_t>(i) / static_cast<size_t>(slices),
          n * static_cast<size_t>(i + 1) / static_cast<size_t>(slices)};
}

std::vector<std::pair<std::string, int>> samplePairs(int n) {
  std::vector<std::pair<std::string, int>> pairs;
  for (int i = 0; i < n; ++i) pairs.emplace_back("key" + std::to_string(i % 37), i * 3 - 50);
  return pairs;
}

std::string asLine(const std::pair<std::string, int>& p) {
  return p.first + "\t" + std::to_string(p.second);
}

class SaveAsTextFileTest : public ember::testing::ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(SaveAsTextFileTest);

TEST_P(SaveAsTextFileTest, WritesOnePartFilePerPartitionAndSuccess) {
  TempDir& dir = tempDir();
  const int slices = 5;
  ctx().parallelize(samplePairs(100), slices).saveAsTextFile(dir / "out");
  std::vector<std::string> expected{"_SUCCESS"};
  for (int p = 0; p < slices; ++p) expected.push_back(partName(p));
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(entries(dir / "out"), expected);
  EXPECT_EQ(readFile(dir / "out/_SUCCESS"), "");
}

TEST_P(SaveAsTextFileTest, EachPartFileHoldsItsPartitionAsKeyTabValueLines) {
  TempDir& dir = tempDir();
  const int slices = 4;
  const auto pairs = samplePairs(103);
  ctx().parallelize(pairs, slices).saveAsTextFile(dir / "out");
  for (int p = 0; p < slices; ++p) {
    auto [begin, end] = slice(pairs.size(), p, slices);
    std::vector<std::string> expected;
    for (size_t i = begin; i < end; ++i) expected.push_back(asLine(pairs[i]));
    EXPECT_EQ(readLines(dir / ("out/" + partName(p))), expected) << partName(p);
  }
}

TEST_P(SaveAsTextFileTest, ReadingTheOutputBackGivesTheInput) {
  TempDir& dir = tempDir();
  const auto pairs = samplePairs(500);
  std::vector<std::string> expected;
  for (const auto& p : pairs) expected.push_back(asLine(p));
  ctx().parallelize(pairs, 7).saveAsTextFile(dir / "out");
  EXPECT_EQ(ctx().textFile(dir / "out").collect(), expected);
}

TEST_P(SaveAsTextFileTest, ShuffledPairsRoundTrip) {
  TempDir& dir = tempDir();
  const auto pairs = samplePairs(1000);
  std::map<std::string, int64_t> expected;
  for (const auto& [k, v] : pairs) expected[k] += v;
  ctx()
      .parallelize(pairs, 6)
      .mapValues([](int v) { return int64_t{v}; })
      .reduceByKey([](int64_t a, int64_t b) { return a + b; }, 3)
      .saveAsTextFile(dir / "out");
  std::map<std::string, int64_t> actual;
  int parts = 0;
  for (const std::string& name : entries(dir / "out")) {
    if (name == "_SUCCESS") continue;
    ++parts;
    for (const std::string& line : readLines(dir / ("out/" + name))) {
      auto tab = line.find('\t');
      ASSERT_NE(tab, std::string::npos) << line;
      EXPECT_TRUE(actual.emplace(line.substr(0, tab), std::stoll(line.substr(tab + 1))).second)
          << "key written twice: " << line;
    }
  }
  EXPECT_EQ(parts, 3);
  EXPECT_EQ(actual, expected);
}

TEST_P(SaveAsTextFileTest, EmptyPartitionsGiveEmptyPartFiles) {
  TempDir& dir = tempDir();
  ctx().parallelize(std::vector<int>{1, 2}, 4).saveAsTextFile(dir / "out");
  EXPECT_EQ(entries(dir / "out"), (std::vector<std::string>{"_SUCCESS", "part-00000", "part-00001",
                                                            "part-00002", "part-00003"}));
  std::string all;
  for (int p = 0; p < 4; ++p) all += readFile(dir / ("out/" + partName(p)));
  EXPECT_EQ(all, "1\n2\n");
}

TEST_P(SaveAsTextFileTest, EmptyRddWritesOnlySuccess) {
  TempDir& dir = tempDir();
  ctx().emptyRDD<int>().saveAsTextFile(dir / "out");
  EXPECT_EQ(entries(dir / "out"), std::vector<std::string>{"_SUCCESS"});
}

TEST_P(SaveAsTextFileTest, StringsAndNumbersArePrintedPlainly) {
  TempDir& dir = tempDir();
  ctx()
      .parallelize(std::vector<std::string>{"plain", "with space", ""}, 1)
      .saveAsTextFile(dir / "s");
  EXPECT_EQ(readFile(dir / "s/part-00000"), "plain\nwith space\n\n");
  ctx().parallelize(std::vector<int64_t>{-5, 0, 1234567890123}, 1).saveAsTextFile(dir / "n");
  EXPECT_EQ(readFile(dir / "n/part-00000"), "-5\n0\n1234567890123\n");
}

TEST_P(SaveAsTextFileTest, ExistingOutputDirectoryIsAnIoErrorAndLeftUntouched) {
  TempDir& dir = tempDir();
  dir.write("out/keep.txt", "precious\n");
  std::string msg;
  try {
    ctx().parallelize(samplePairs(10), 2).saveAsTextFile(dir / "out");
    ADD_FAILURE() << "saving over an existing directory did not throw";
  } catch (const ember::IoError& e) {
    msg = e.what();
  }
  EXPECT_THAT(msg, HasSubstr("already exists"));
  EXPECT_THAT(msg, HasSubstr(dir / "out"));
  EXPECT_EQ(entries(dir / "out"), std::vector<std::string>{"keep.txt"});
  EXPECT_EQ(readFile(dir / "out/keep.txt"), "precious\n");
  EXPECT_EQ(entries(dir.path()), std::vector<std::string>{"out"})
      << "nothing may be left beside the output";
}

TEST_P(SaveAsTextFileTest, ExistingOutputFileIsAnIoError) {
  TempDir& dir = tempDir();
  dir.write("out", "a file\n");
  EXPECT_THROW(ctx().parallelize(samplePairs(10), 2).saveAsTextFile(dir / "out"), ember::IoError);
  EXPECT_EQ(readFile(dir / "out"), "a file\n");
}

TEST_P(SaveAsTextFileTest, FailedJobLeavesNoOutputAndNoTemporaryDirectory) {
  TempDir& dir = tempDir();
  dir.write("neighbour.txt", "x\n");
  const std::vector<std::string> before = entries(dir.path());
  auto failing =
      ctx().parallelize(samplePairs(200), 4).map([](const std::pair<std::string, int>& p) {
        if (p.second == 3 * 150 - 50) throw std::runtime_error("bad record 150");
        return p;
      });
  try {
    failing.saveAsTextFile(dir / "out");
    ADD_FAILURE() << "the job did not fail";
  } catch (const ember::JobFailed& e) {
    EXPECT_THAT(e.what(), HasSubstr("bad record 150"));
  }
  EXPECT_FALSE(fs::exists(dir / "out"));
  EXPECT_EQ(entries(dir.path()), before) << "a temporary directory was left behind";
}

TEST_P(SaveAsTextFileTest, FailedJobCanBeRetriedToTheSamePath) {
  TempDir& dir = tempDir();
  bool fail = true;
  auto rdd = ctx().parallelize(std::vector<int>{1, 2, 3, 4}, 2).map([&fail](int x) {
    if (fail && x == 3) throw std::runtime_error("first run fails");
    return x;
  });
  EXPECT_THROW(rdd.saveAsTextFile(dir / "out"), ember::JobFailed);
  fail = false;
  rdd.saveAsTextFile(dir / "out");
  EXPECT_EQ(ctx().textFile(dir / "out").collect(), (std::vector<std::string>{"1", "2", "3", "4"}));
}

TEST_P(SaveAsTextFileTest, MissingParentDirectoriesAreCreated) {
  TempDir& dir = tempDir();
  std::string out = dir / "a/b/c/out";
  ctx().parallelize(std::vector<int>{7, 8, 9}, 2).saveAsTextFile(out);
  EXPECT_TRUE(fs::exists(out + "/_SUCCESS"));
  EXPECT_EQ(ctx().textFile(out).collect(), (std::vector<std::string>{"7", "8", "9"}));
  EXPECT_EQ(entries(dir / "a/b/c"), std::vector<std::string>{"out"});
}

TEST_P(SaveAsTextFileTest, TrailingSlashNamesTheSameDirectory) {
  TempDir& dir = tempDir();
  ctx().parallelize(std::vector<int>{1, 2}, 1).saveAsTextFile(dir / "out/");
  EXPECT_EQ(entries(dir / "out"), (std::vector<std::string>{"_SUCCESS", "part-00000"}));
  EXPECT_EQ(entries(dir.path()), std::vector<std::string>{"out"});
}

TEST_P(SaveAsTextFileTest, OutputMetricsCountTheWrittenLines) {
  struct OutputListener : ember::SchedulerListener {
    void onTaskEnd(const ember::TaskEndEvent& e) override {
      records += e.metrics.outputRecords;
      bytes += e.metrics.outputBytes;
    }
    int64_t records = 0;
    int64_t bytes = 0;
  };
  TempDir& dir = tempDir();
  const auto pairs = samplePairs(250);
  auto listener = std::make_shared<OutputListener>();
  ctx().addListener(listener);
  ctx().parallelize(pairs, 3).saveAsTextFile(dir / "out");
  ctx().removeListener(listener);
  int64_t fileBytes = 0;
  for (int p = 0; p < 3; ++p)
    fileBytes += static_cast<int64_t>(fs::file_size(dir / ("out/" + partName(p))));
  EMBER_ON_DRIVER(ctx()) EXPECT_EQ(listener->records, 250);
  EMBER_ON_DRIVER(ctx()) EXPECT_EQ(listener->bytes, fileBytes);
}

}  // namespace

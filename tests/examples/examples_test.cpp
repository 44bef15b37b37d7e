// Runs every tutorial on the bundled data, as CI must, and checks what it
// prints against answers computed here independently.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
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

}  // namespace
}  // namespace ember::testing

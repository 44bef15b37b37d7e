// Context::textFile: listing inputs, planning byte-range splits and reading
// each line exactly once whichever split boundaries cut it.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <ember/ember.hpp>

#include "common/master_url.hpp"
#include "support/shapes.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using ember::testing::TempDir;
using ::testing::HasSubstr;

/// The lines of `file` as a plain std::getline loop reads them, with a
/// trailing '\r' removed: the independent answer textFile must match.
std::vector<std::string> readLines(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << file;
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

std::vector<std::string> readAll(const std::vector<std::string>& files) {
  std::vector<std::string> lines;
  for (const std::string& f : files) {
    auto more = readLines(f);
    lines.insert(lines.end(), more.begin(), more.end());
  }
  return lines;
}

int64_t totalSize(const std::vector<std::string>& files) {
  int64_t total = 0;
  for (const std::string& f : files) total += static_cast<int64_t>(fs::file_size(f));
  return total;
}

/// Random text: lines of varying length (empty ones included), "\n" or
/// "\r\n" endings, with or without a final newline.
std::string randomText(std::mt19937& rng, int lines, int maxLength, bool finalNewline) {
  std::uniform_int_distribution<int> length(0, maxLength);
  std::uniform_int_distribution<int> letter('a', 'z');
  std::bernoulli_distribution crlf(0.3);
  std::bernoulli_distribution space(0.15);
  std::string text;
  for (int i = 0; i < lines; ++i) {
    int n = length(rng);
    for (int j = 0; j < n; ++j) text += space(rng) ? ' ' : static_cast<char>(letter(rng));
    if (i + 1 < lines || finalNewline) text += crlf(rng) ? "\r\n" : "\n";
  }
  return text;
}

/// The input files of the split tests, in name order (textFile's order).
std::vector<std::string> writeEdgeCaseFiles(const TempDir& dir) {
  std::mt19937 rng(20240611);
  std::vector<std::string> files;
  files.push_back(dir.write("in/a_varied.txt", randomText(rng, 60, 25, true)));
  files.push_back(dir.write("in/b_no_final_newline.txt", randomText(rng, 30, 12, false)));
  files.push_back(dir.write("in/c_empty.txt", ""));
  files.push_back(dir.write("in/d_one_long_line.txt", std::string(53, 'x')));
  files.push_back(dir.write("in/e_crlf.txt", "alpha\r\nbeta\r\n\r\ngamma\r\n"));
  files.push_back(dir.write("in/f_blank_lines.txt", "\n\n\nlast\n\n"));
  files.push_back(dir.write("in/g_one_long_line_newline.txt", std::string(40, 'y') + "\n"));
  files.push_back(dir.write("in/h_single_newline.txt", "\n"));
  files.push_back(dir.write("in/i_cr_without_newline.txt", "abc\r"));
  files.push_back(dir.write("in/j_long_lines.txt", randomText(rng, 8, 40, true)));
  return files;
}

class TextFileTest : public ember::testing::ShapedTest {};
EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(TextFileTest);

/// The Context of the split tests: tiny splits so that nearly every line
/// crosses a boundary.
std::unique_ptr<ember::Context> smallSplitContext(const std::string& master,
                                                  const std::string& maxBytes) {
  return std::make_unique<ember::Context>(ember::testing::clusterConf(
      ember::Conf().set("ember.master", master).set("ember.files.maxPartitionBytes", maxBytes)));
}

TEST_P(TextFileTest, SingleFileLinesEqualAPlainRead) {
  TempDir& dir = tempDir();
  std::mt19937 rng(7);
  std::string file = dir.write("one.txt", randomText(rng, 500, 80, true));
  auto lines = ctx().textFile(file).collect();
  EXPECT_EQ(lines, readLines(file));
  EXPECT_EQ(ctx().textFile(file).count(), static_cast<int64_t>(readLines(file).size()));
}

TEST_P(TextFileTest, DefaultMinPartitionsIsTwoAtMost) {
  TempDir& dir = tempDir();
  std::mt19937 rng(8);
  std::string file = dir.write("one.txt", randomText(rng, 200, 40, true));
  auto rdd = ctx().textFile(file);
  const auto master = ember::MasterUrl::parse(GetParam());
  const int cores = master.cores * std::max(master.processes, 1);
  EXPECT_EQ(ctx().defaultMinPartitions(), std::min(cores, 2));
  EXPECT_GE(rdd.getNumPartitions(), std::min(cores, 2));
}

TEST_P(TextFileTest, EveryLineIsReadOnceForEveryMinPartitions) {
  TempDir& dir = tempDir();
  auto files = writeEdgeCaseFiles(dir);
  const auto expected = readAll(files);
  for (int minPartitions = 1; minPartitions <= 50; ++minPartitions) {
    auto rdd = ctx().textFile(dir / "in", minPartitions);
    ASSERT_EQ(rdd.collect(), expected) << "minPartitions " << minPartitions;
  }
}

TEST_P(TextFileTest, EveryLineIsReadOnceWithTinySplits) {
  if (GetParam().starts_with("local-cluster"))
    GTEST_SKIP() << "makes a context per split size; a local-cluster test may make one";
  TempDir& dir = tempDir();
  auto files = writeEdgeCaseFiles(dir);
  const auto expected = readAll(files);
  for (const char* maxBytes : {"1", "2", "3", "7", "13"}) {
    auto context = smallSplitContext(GetParam(), maxBytes);
    for (int minPartitions = 1; minPartitions <= 50; minPartitions += 7) {
      auto rdd = context->textFile(dir / "in", minPartitions);
      ASSERT_EQ(rdd.collect(), expected)
          << "maxPartitionBytes " << maxBytes << ", minPartitions " << minPartitions;
    }
  }
}

TEST_P(TextFileTest, EveryLineIsReadOnceFromEachEdgeCaseFileAlone) {
  TempDir& dir = tempDir();
  auto files = writeEdgeCaseFiles(dir);
  auto context = smallSplitContext(GetParam(), "7");
  for (const std::string& file : files) {
    const auto expected = readLines(file);
    for (int minPartitions = 1; minPartitions <= 50; ++minPartitions) {
      ASSERT_EQ(context->textFile(file, minPartitions).collect(), expected)
          << fs::path(file).filename() << ", minPartitions " << minPartitions;
    }
  }
}

TEST_P(TextFileTest, LinesLongerThanTheReadBufferAreWhole) {
  // Lines of up to 300 KB and splits of 64 KB: lines cross both split and
  // (1 MB) read-buffer boundaries.
  TempDir& dir = tempDir();
  std::mt19937 rng(99);
  std::string file = dir.write("big.txt", randomText(rng, 24, 300000, false));
  auto context = smallSplitContext(GetParam(), "64k");
  const auto expected = readLines(file);
  for (int minPartitions : {1, 3, 17}) {
    auto lines = context->textFile(file, minPartitions).collect();
    ASSERT_EQ(lines.size(), expected.size()) << "minPartitions " << minPartitions;
    EXPECT_TRUE(lines == expected) << "minPartitions " << minPartitions;
  }
}

TEST_P(TextFileTest, MinPartitionsIsAtLeastTheRequestedCount) {
  TempDir& dir = tempDir();
  std::mt19937 rng(3);
  std::string file = dir.write("one.txt", randomText(rng, 300, 60, true));
  const int64_t size = static_cast<int64_t>(fs::file_size(file));
  ASSERT_GT(size, 200);
  for (int minPartitions : {1, 2, 3, 5, 8, 13, 50, 101, 200}) {
    auto rdd = ctx().textFile(file, minPartitions);
    EXPECT_GE(rdd.getNumPartitions(), minPartitions);
    EXPECT_EQ(rdd.collect(), readLines(file)) << "minPartitions " << minPartitions;
  }
}

TEST_P(TextFileTest, MinPartitionsIsAtLeastTheRequestedCountOverSeveralFiles) {
  TempDir& dir = tempDir();
  std::mt19937 rng(4);
  std::vector<std::string> files;
  for (int i = 0; i < 5; ++i) {
    files.push_back(
        dir.write("in/part" + std::to_string(i), randomText(rng, 40 + 10 * i, 30, true)));
  }
  for (int minPartitions : {1, 2, 4, 7, 10, 23}) {
    auto rdd = ctx().textFile(dir / "in", minPartitions);
    EXPECT_GE(rdd.getNumPartitions(), minPartitions);
    EXPECT_EQ(rdd.collect(), readAll(files));
  }
}

TEST_P(TextFileTest, MaxPartitionBytesBoundsTheSplitSize) {
  TempDir& dir = tempDir();
  std::mt19937 rng(5);
  std::string file = dir.write("one.txt", randomText(rng, 100, 30, true));
  const double size = static_cast<double>(fs::file_size(file));
  auto context = smallSplitContext(GetParam(), "100");
  auto rdd = context->textFile(file, 1);
  // Splits of at most 100 bytes (the last may be 10% larger, as Hadoop's).
  EXPECT_GE(rdd.getNumPartitions(), static_cast<int>(std::ceil(size / 110.0)));
  EXPECT_LE(rdd.getNumPartitions(), static_cast<int>(std::ceil(size / 100.0)));
  EXPECT_EQ(rdd.collect(), readLines(file));
}

TEST_P(TextFileTest, EmptyFileHasNoLines) {
  TempDir& dir = tempDir();
  std::string file = dir.write("empty.txt", "");
  auto rdd = ctx().textFile(file, 4);
  EXPECT_TRUE(rdd.collect().empty());
  EXPECT_EQ(rdd.count(), 0);
  EXPECT_TRUE(rdd.isEmpty());
}

TEST_P(TextFileTest, DirectorySkipsHiddenFiles) {
  TempDir& dir = tempDir();
  std::vector<std::string> visible = {dir.write("out/part-00000", "one\ntwo\n"),
                                      dir.write("out/part-00001", "three\n")};
  dir.write("out/_SUCCESS", "{\"committer\": \"not data\"}\n");
  dir.write("out/.part-00000.crc", "crc bytes\n");
  dir.write("out/_logs_file", "log line\n");
  auto lines = ctx().textFile(dir / "out").collect();
  EXPECT_EQ(lines, readAll(visible));
  EXPECT_EQ(lines, (std::vector<std::string>{"one", "two", "three"}));
}

TEST_P(TextFileTest, DirectoryWithTrailingSlashReadsTheSameFiles) {
  TempDir& dir = tempDir();
  std::vector<std::string> visible = {dir.write("out/a", "1\n2\n"), dir.write("out/b", "3\n")};
  EXPECT_EQ(ctx().textFile(dir / "out/").collect(), readAll(visible));
}

TEST_P(TextFileTest, GlobReadsOnlyMatchingFiles) {
  TempDir& dir = tempDir();
  std::vector<std::string> matching = {dir.write("in/a.txt", "a1\na2\n"),
                                       dir.write("in/b.txt", "b1\n"),
                                       dir.write("in/c.txt", "c1\nc2\nc3")};
  dir.write("in/other.log", "not me\n");
  dir.write("in/d.txt.bak", "not me either\n");
  EXPECT_EQ(ctx().textFile(dir / "in/*.txt").collect(), readAll(matching));
  EXPECT_EQ(ctx().textFile(dir / "in/?.txt").collect(), readAll(matching));
  EXPECT_EQ(ctx().textFile(dir / "in/[ab].txt").collect(), readAll({matching[0], matching[1]}));
}

TEST_P(TextFileTest, GlobSkipsHiddenFilesAsADirectoryDoes) {
  // As Hadoop's hidden-file filter: reading "out/*" of a saved output must
  // not read its _SUCCESS marker (whose content some committers fill).
  TempDir& dir = tempDir();
  std::vector<std::string> visible = {dir.write("out/part-00000", "x\n"),
                                      dir.write("out/part-00001", "y\n")};
  dir.write("out/_SUCCESS", "{\"committer\": \"not data\"}\n");
  EXPECT_EQ(ctx().textFile(dir / "out/*").collect(), readAll(visible));
}

TEST_P(TextFileTest, GlobOverDirectoriesReadsTheirFiles) {
  TempDir& dir = tempDir();
  std::vector<std::string> files = {dir.write("day1/part-0", "1\n"),
                                    dir.write("day1/part-1", "2\n"),
                                    dir.write("day2/part-0", "3\n")};
  dir.write("day2/_SUCCESS", "");
  EXPECT_EQ(ctx().textFile(dir / "day*").collect(), readAll(files));
}

TEST_P(TextFileTest, InputMetricsCountEveryByteAndLine) {
  struct InputListener : ember::SchedulerListener {
    void onTaskEnd(const ember::TaskEndEvent& e) override {
      if (!e.succeeded) return;
      bytes += e.metrics.inputBytes;
      records += e.metrics.inputRecords;
      ++tasks;
    }
    int64_t bytes = 0;
    int64_t records = 0;
    int tasks = 0;
  };
  TempDir& dir = tempDir();
  auto files = writeEdgeCaseFiles(dir);
  auto listener = std::make_shared<InputListener>();
  ctx().addListener(listener);
  auto rdd = ctx().textFile(dir / "in", 9);
  int64_t n = rdd.count();
  ctx().removeListener(listener);
  EXPECT_EQ(n, static_cast<int64_t>(readAll(files).size()));
  EMBER_ON_DRIVER(ctx()) EXPECT_EQ(listener->tasks, rdd.getNumPartitions());
  EMBER_ON_DRIVER(ctx()) EXPECT_EQ(listener->records, n);
  EMBER_ON_DRIVER(ctx()) EXPECT_GE(listener->bytes, totalSize(files));
}

TEST_P(TextFileTest, TextFileComposesWithTransformations) {
  TempDir& dir = tempDir();
  std::mt19937 rng(11);
  std::string file = dir.write("words.txt", randomText(rng, 400, 50, true));
  std::map<std::string, int64_t> expected;
  for (const std::string& line : readLines(file)) {
    std::istringstream words(line);
    for (std::string w; words >> w;) ++expected[w];
  }
  auto counts = ctx()
                    .textFile(file, 5)
                    .flatMap([](const std::string& line) { return ember::splitWords(line); })
                    .map([](const std::string& w) {
                      return std::pair{w, int64_t{1}};
                    })
                    .reduceByKey([](int64_t a, int64_t b) { return a + b; })
                    .collect();
  std::map<std::string, int64_t> actual(counts.begin(), counts.end());
  EXPECT_EQ(actual.size(), counts.size()) << "a word appears twice after reduceByKey";
  EXPECT_EQ(actual, expected);
}

// ---- Errors: thrown by textFile() itself, naming the path ----

/// The message of the IoError `f` throws; fails the test otherwise.
template <class F>
std::string ioErrorOf(F f) {
  try {
    f();
  } catch (const ember::IoError& e) {
    return e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "expected ember::IoError, got: " << e.what();
    return "";
  }
  ADD_FAILURE() << "expected ember::IoError, nothing was thrown";
  return "";
}

TEST(TextFileErrors, MissingPathNamesThePath) {
  TempDir dir;
  ember::Context ctx(ember::Conf().set("ember.master", "local[2]"));
  std::string missing = dir / "no/such/file.txt";
  std::string msg = ioErrorOf([&] { ctx.textFile(missing); });
  EXPECT_THAT(msg, HasSubstr(missing));
  EXPECT_THAT(msg, HasSubstr("does not exist"));
}

TEST(TextFileErrors, GlobMatchingNothingNamesThePattern) {
  TempDir dir;
  dir.write("in/a.txt", "a\n");
  ember::Context ctx(ember::Conf().set("ember.master", "local[2]"));
  std::string pattern = dir / "in/*.csv";
  std::string msg = ioErrorOf([&] { ctx.textFile(pattern); });
  EXPECT_THAT(msg, HasSubstr(pattern));
  EXPECT_THAT(msg, HasSubstr("matches no file"));
}

TEST(TextFileErrors, GlobInMissingDirectoryIsAnIoError) {
  TempDir dir;
  ember::Context ctx(ember::Conf().set("ember.master", "local[1]"));
  std::string pattern = dir / "missing/*.txt";
  EXPECT_THAT(ioErrorOf([&] { ctx.textFile(pattern); }), HasSubstr(pattern));
}

TEST(TextFileErrors, UnreadableFileNamesTheFile) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads files whatever their mode";
  TempDir dir;
  std::string file = dir.write("secret.txt", "hidden\n");
  ASSERT_EQ(::chmod(file.c_str(), 0), 0);
  ember::Context ctx(ember::Conf().set("ember.master", "local[1]"));
  std::string msg = ioErrorOf([&] { ctx.textFile(file); });
  EXPECT_THAT(msg, HasSubstr(file));
  ::chmod(file.c_str(), 0644);
}

TEST(TextFileErrors, UnreadableFileInADirectoryNamesTheFile) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads files whatever their mode";
  TempDir dir;
  dir.write("in/a.txt", "a\n");
  std::string file = dir.write("in/b.txt", "b\n");
  ASSERT_EQ(::chmod(file.c_str(), 0), 0);
  ember::Context ctx(ember::Conf().set("ember.master", "local[1]"));
  std::string msg = ioErrorOf([&] { ctx.textFile(dir / "in"); });
  EXPECT_THAT(msg, HasSubstr(file));
  ::chmod(file.c_str(), 0644);
}

TEST(TextFileErrors, UnreadableDirectoryNamesTheDirectory) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads directories whatever their mode";
  TempDir dir;
  dir.write("in/a.txt", "a\n");
  std::string in = dir / "in";
  ASSERT_EQ(::chmod(in.c_str(), 0), 0);
  ember::Context ctx(ember::Conf().set("ember.master", "local[1]"));
  std::string msg = ioErrorOf([&] { ctx.textFile(in); });
  ::chmod(in.c_str(), 0755);
  EXPECT_THAT(msg, HasSubstr(in));
}

TEST(TextFileErrors, DanglingSymlinkInADirectoryNamesTheLink) {
  TempDir dir;
  dir.write("in/a.txt", "a\n");
  std::string link = dir / "in/b.txt";
  fs::create_symlink(dir / "nowhere.txt", link);
  ember::Context ctx(ember::Conf().set("ember.master", "local[1]"));
  std::string msg = ioErrorOf([&] { ctx.textFile(dir / "in"); });
  EXPECT_THAT(msg, HasSubstr(link));
}

TEST(TextFileErrors, SymlinkToAFileIsRead) {
  TempDir dir;
  std::string target = dir.write("target.txt", "via\nlink\n");
  dir.write("in/a.txt", "a\n");
  fs::create_symlink(target, dir / "in/b.txt");
  ember::Context ctx(ember::Conf().set("ember.master", "local[1]"));
  EXPECT_EQ(ctx.textFile(dir / "in").collect(), (std::vector<std::string>{"a", "via", "link"}));
}

}  // namespace

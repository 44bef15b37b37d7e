// A shuffle block or a cached block damaged on disk between two jobs is
// treated as lost: its map task runs again, or its partition is recomputed
// from lineage, with a warning naming it; the job answers as if nothing
// happened, never crashes or returns wrong answers.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <ember/ember.hpp>

#include "support/event_log.hpp"
#include "support/reference.hpp"
#include "support/temp_dir.hpp"

namespace ember::testing {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

/// The shuffle files under `dir`, whatever private subdirectory holds them.
std::vector<std::filesystem::path> shuffleFiles(const std::string& dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().filename().string().starts_with("shuffle"))
      files.push_back(entry.path());
  }
  return files;
}

/// Flips one byte in the middle of the file, or cuts it to half its size.
void damage(const std::filesystem::path& file, bool truncate) {
  const auto size = std::filesystem::file_size(file);
  if (truncate) {
    std::filesystem::resize_file(file, size / 2);
    return;
  }
  std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(static_cast<std::streamoff>(size / 2));
  char c = 0;
  f.get(c);
  f.seekp(static_cast<std::streamoff>(size / 2));
  f.put(static_cast<char>(c ^ 0x5a));
}

class CorruptShuffleBlock : public ::testing::TestWithParam<bool> {};

TEST_P(CorruptShuffleBlock, IsRecomputedAndTheJobAnswersAsIfNothingHappened) {
  TempDir dir;
  // A budget so small that every map output goes to disk.
  Context ctx(Conf()
                  .set("ember.master", "local[2]")
                  .set("ember.executor.memory", "1m")
                  .set("ember.local.dir", dir.path()));
  auto events = std::make_shared<EventLog>();
  ctx.addListener(events);
  std::vector<std::pair<int, int64_t>> data;
  for (int x : randomInts(200000, 50000, 11)) data.emplace_back(x, 1);
  auto grouped = ctx.parallelize(data, 4).partitionBy(3);
  ASSERT_EQ(grouped.count(), static_cast<int64_t>(data.size()));

  const auto files = shuffleFiles(dir.path());
  ASSERT_FALSE(files.empty()) << "the map outputs should have gone to disk";
  damage(files.front(), GetParam());
  events->clear();

  // Reuses the map outputs: the map stage is skipped until a reducer finds
  // the damaged one, whose map task then runs again.
  auto got = grouped.collect();
  auto expected = data;
  std::sort(got.begin(), got.end());
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(got, expected);

  // A reducer that met the damage names the block and the failed check;
  // those coming later found the output already gone.
  const auto failures = events->failures();
  ASSERT_FALSE(failures.empty()) << "no reducer met the damage";
  int namingTheCheck = 0;
  for (const auto& f : failures) {
    EXPECT_THAT(f.error, AllOf(HasSubstr("FetchFailed"), HasSubstr("shuffle 0 map "),
                               HasSubstr(" reduce ")));
    namingTheCheck +=
        f.error.find(GetParam() ? "truncated" : "checksum mismatch") != std::string::npos;
  }
  EXPECT_GE(namingTheCheck, 1);
  // The map stage ran again, for the damaged output only.
  bool mapRerun = false;
  for (const StageInfo& s : events->submitted()) {
    if (!s.isShuffleMap) continue;
    mapRerun = true;
    EXPECT_EQ(events->partitionsStarted(s.stageId, s.attemptNumber).size(), 1U);
  }
  EXPECT_TRUE(mapRerun);
  // A later job reads the recomputed output without trouble.
  EXPECT_EQ(grouped.count(), static_cast<int64_t>(data.size()));
}

/// The cached blocks' files under `dir`.
std::vector<std::filesystem::path> blockFiles(const std::string& dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().filename().string().starts_with("rdd_"))
      files.push_back(entry.path());
  }
  return files;
}

TEST_P(CorruptShuffleBlock, ADamagedCachedBlockIsRecomputedWithAWarningNamingIt) {
  TempDir dir;
  Context ctx(Conf().set("ember.master", "local[2]").set("ember.local.dir", dir.path()));
  auto calls = ctx.longAccumulator("computed");
  const int n = 300000;
  auto cached = ctx.parallelize(iota(n), 3)
                    .map([calls](int x) {
                      calls.add(1);
                      return int64_t{x} * 7;
                    })
                    .persist(StorageLevel::DISK_ONLY);
  ASSERT_EQ(cached.count(), n);
  ASSERT_EQ(calls.value(), n);
  const auto files = blockFiles(dir.path());
  ASSERT_EQ(files.size(), 3U);
  damage(files.front(), GetParam());

  ::testing::internal::CaptureStderr();
  const auto all = cached.collect();
  const std::string warnings = ::testing::internal::GetCapturedStderr();
  ASSERT_EQ(all.size(), static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) ASSERT_EQ(all[static_cast<size_t>(i)], int64_t{i} * 7) << i;
  EXPECT_THAT(warnings, AllOf(HasSubstr("warning: cached block rdd_"), HasSubstr("damaged"),
                              HasSubstr("recomputed")));
  // One partition of the three was computed again, and cached again.
  EXPECT_EQ(calls.value(), n + n / 3);
  EXPECT_EQ(cached.count(), n);
  EXPECT_EQ(calls.value(), n + n / 3);
}

INSTANTIATE_TEST_SUITE_P(Damage, CorruptShuffleBlock, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "Truncated" : "FlippedByte"; });

}  // namespace
}  // namespace ember::testing

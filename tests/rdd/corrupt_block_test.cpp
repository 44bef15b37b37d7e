// A shuffle block damaged on disk between two jobs: the job that reads it
// must fail with an error that names the block and the check that failed,
// never crash or return wrong answers, and the context must stay usable.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <ember/ember.hpp>

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

TEST_P(CorruptShuffleBlock, FailsTheReadingJobNamingTheBlockAndTheCheck) {
  TempDir dir;
  // A budget so small that every map output goes to disk.
  Context ctx(Conf()
                  .set("ember.master", "local[2]")
                  .set("ember.executor.memory", "1m")
                  .set("ember.local.dir", dir.path()));
  std::vector<std::pair<int, int64_t>> data;
  for (int x : randomInts(200000, 50000, 11)) data.emplace_back(x, 1);
  auto grouped = ctx.parallelize(data, 4).partitionBy(3);
  ASSERT_EQ(grouped.count(), static_cast<int64_t>(data.size()));

  const auto files = shuffleFiles(dir.path());
  ASSERT_FALSE(files.empty()) << "the map outputs should have gone to disk";
  for (const auto& file : files) damage(file, GetParam());

  try {
    grouped.collect();  // reuses the damaged map outputs: the map stage is skipped
    FAIL() << "a damaged shuffle block was read without an error";
  } catch (const JobFailed& e) {
    EXPECT_THAT(e.what(), AllOf(HasSubstr("CorruptBlockError"), HasSubstr("shuffle 0 map "),
                                HasSubstr(" reduce ")));
    EXPECT_THAT(e.what(), GetParam() ? HasSubstr("truncated") : HasSubstr("checksum"));
  }
  // The context is still usable for other jobs.
  EXPECT_EQ(ctx.parallelize(iota(100), 4).count(), 100);
}

INSTANTIATE_TEST_SUITE_P(Damage, CorruptShuffleBlock, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "Truncated" : "FlippedByte"; });

}  // namespace
}  // namespace ember::testing

// ScratchDir: created lazily and once, private, removed with its contents.

#include "storage/scratch_dir.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/error.hpp"
#include "support/temp_dir.hpp"

namespace ember {
namespace {

namespace fs = std::filesystem;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;

TEST(ScratchDir, TouchesNothingUntilUsed) {
  testing::TempDir dir;
  const fs::path root = fs::path(dir.path()) / "local";
  { ScratchDir scratch(root); }
  EXPECT_FALSE(fs::exists(root));
}

TEST(ScratchDir, CreatesAPrivateDirectoryOnce) {
  testing::TempDir dir;
  const fs::path root = fs::path(dir.path()) / "local" / "dir";  // created too
  ScratchDir scratch(root);
  const fs::path path = scratch.path();
  EXPECT_EQ(path.parent_path(), root);
  EXPECT_THAT(path.filename().string(),
              MatchesRegex("ember-" + std::to_string(::getpid()) + "-[0-9a-f]+"));
  EXPECT_TRUE(fs::is_directory(path));
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0700u);
  EXPECT_EQ(scratch.path(), path);
  EXPECT_EQ(std::distance(fs::directory_iterator(root), fs::directory_iterator()), 1);
}

TEST(ScratchDir, IsRemovedWithEverythingInIt) {
  testing::TempDir dir;
  fs::path path;
  {
    ScratchDir scratch(dir.path());
    path = scratch.path();
    fs::create_directories(path / "sub" / "deeper");
    std::ofstream(path / "sub" / "deeper" / "spill.data") << "bytes";
    std::ofstream(path / "top.data") << "bytes";
  }
  EXPECT_FALSE(fs::exists(path));
  EXPECT_TRUE(fs::exists(dir.path()));  // the root stays
}

TEST(ScratchDir, TwoContextsGetDifferentDirectories) {
  testing::TempDir dir;
  ScratchDir a(dir.path());
  ScratchDir b(dir.path());
  EXPECT_NE(a.path(), b.path());
}

TEST(ScratchDir, ConcurrentFirstCallsCreateOneDirectory) {
  testing::TempDir dir;
  ScratchDir scratch(dir.path());
  std::vector<fs::path> seen(8);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < seen.size(); ++i) {
    threads.emplace_back([&, i] { seen[i] = scratch.path(); });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(std::set<fs::path>(seen.begin(), seen.end()).size(), 1u);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1);
}

TEST(ScratchDir, ARootThatIsAFileGivesIoErrorNamingIt) {
  testing::TempDir dir;
  const std::string file = dir.write("not-a-dir", "x");
  ScratchDir scratch(file);
  try {
    scratch.path();
    FAIL() << "created a scratch directory inside a regular file";
  } catch (const IoError& e) {
    EXPECT_THAT(
        e.what(),
        AllOf(HasSubstr("cannot create a scratch directory in ember.local.dir=" + file + ": "),
              HasSubstr("set ember.local.dir to a writable directory")));
  }
}

TEST(ScratchDir, AnUnwritableRootGivesIoErrorAndALaterCallRetries) {
  if (::geteuid() == 0) GTEST_SKIP() << "root ignores directory permissions";
  testing::TempDir dir;
  const fs::path root = fs::path(dir.path()) / "locked";
  fs::create_directory(root);
  fs::permissions(root, fs::perms::owner_read | fs::perms::owner_exec);
  ScratchDir scratch(root);
  try {
    scratch.path();
    FAIL() << "created a scratch directory in a read-only directory";
  } catch (const IoError& e) {
    EXPECT_THAT(e.what(), AllOf(HasSubstr("ember.local.dir=" + root.string()),
                                HasSubstr("Permission denied")));
  }
  fs::permissions(root, fs::perms::owner_all);
  EXPECT_TRUE(fs::is_directory(scratch.path()));
}

}  // namespace
}  // namespace ember

// SpillFile: appending and reading frames, concurrent readers, removal, and
// the errors a user meets (damaged file, unwritable directory, full disk).

#include "storage/spill_file.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "common/error.hpp"
#include "storage/detail/file_io.hpp"
#include "support/temp_dir.hpp"

namespace ember {
namespace {

namespace fs = std::filesystem;
using ::testing::AllOf;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string payloadFor(int i) {
  std::string s = "frame " + std::to_string(i) + ":";
  // Sizes and content vary, some compress well, some not at all.
  std::mt19937 random(static_cast<unsigned>(i));
  const size_t n = 10 + static_cast<size_t>(i) * 37 % 5000;
  for (size_t k = 0; k < n; ++k) {
    s += (i % 2 == 0) ? static_cast<char>('a' + k % 7) : static_cast<char>(random());
  }
  return s;
}

void flipByteAt(const fs::path& file, int64_t offset) {
  std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(offset);
  char c = 0;
  f.read(&c, 1);
  c = static_cast<char>(c ^ 0x20);
  f.seekp(offset);
  f.write(&c, 1);
}

TEST(SpillFile, AppendsFramesAndReadsThemBack) {
  testing::TempDir dir;
  SpillFile file(dir.path(), "shuffle-3");
  std::vector<FrameLocation> where;
  int64_t expectedOffset = 0;
  for (int i = 0; i < 20; ++i) {
    const FrameLocation loc = file.append(payloadFor(i), i % 3 == 0 ? Codec::kNone : Codec::kLz4);
    EXPECT_EQ(loc.offset, expectedOffset);
    expectedOffset += loc.size;
    EXPECT_EQ(file.bytesWritten(), expectedOffset);
    where.push_back(loc);
  }
  EXPECT_EQ(static_cast<int64_t>(fs::file_size(file.path())), file.bytesWritten());
  std::string payload;
  for (int i = 19; i >= 0; --i) {
    file.read(where[i], payload, "test block");
    EXPECT_EQ(payload, payloadFor(i)) << i;
  }
  // An empty payload is a frame too.
  const FrameLocation empty = file.append("", Codec::kLz4);
  file.read(empty, payload, "test block");
  EXPECT_EQ(payload, "");
}

TEST(SpillFile, IsNamedAfterItsPrefixAndRemovedWhenDestroyed) {
  testing::TempDir dir;
  fs::path first, second;
  {
    SpillFile a(dir.path(), "sort-run");
    SpillFile b(dir.path(), "sort-run");
    first = a.path();
    second = b.path();
    EXPECT_EQ(first.parent_path(), fs::path(dir.path()));
    EXPECT_THAT(first.filename().string(), AllOf(StartsWith("sort-run-"), EndsWith(".data")));
    EXPECT_NE(first, second);
    a.append("data", Codec::kNone);
    EXPECT_TRUE(fs::exists(first));
    EXPECT_TRUE(fs::exists(second));
  }
  EXPECT_FALSE(fs::exists(first));
  EXPECT_FALSE(fs::exists(second));
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(SpillFile, CreatesItsDirectory) {
  testing::TempDir dir;
  const fs::path nested = fs::path(dir.path()) / "a" / "b";
  SpillFile file(nested, "x");
  EXPECT_TRUE(fs::is_directory(nested));
  EXPECT_EQ(file.path().parent_path(), nested);
}

TEST(SpillFile, ManyThreadsReadWhileOneAppends) {
  testing::TempDir dir;
  SpillFile file(dir.path(), "shared");
  constexpr int kFirst = 200, kMore = 200, kReaders = 8;
  std::vector<FrameLocation> where(kFirst + kMore);
  for (int i = 0; i < kFirst; ++i) where[i] = file.append(payloadFor(i), Codec::kLz4);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  threads.emplace_back([&] {  // keeps appending beyond what the readers read
    for (int i = kFirst; i < kFirst + kMore; ++i)
      where[i] = file.append(payloadFor(i), Codec::kNone);
  });
  for (int t = 0; t < kReaders; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 random(static_cast<unsigned>(t));
      std::string payload;
      for (int k = 0; k < 300; ++k) {
        const int i = static_cast<int>(random() % kFirst);
        file.read(where[i], payload, "test block");
        if (payload != payloadFor(i)) ++failures;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  std::string payload;
  for (int i = kFirst; i < kFirst + kMore; i += 13) {
    file.read(where[i], payload, "test block");
    EXPECT_EQ(payload, payloadFor(i));
  }
}

TEST(SpillFile, ADamagedFrameNamesTheBlockTheFileAndTheOffset) {
  testing::TempDir dir;
  SpillFile file(dir.path(), "shuffle-3-5");
  file.append(payloadFor(1), Codec::kNone);
  const FrameLocation loc = file.append(payloadFor(2), Codec::kLz4);
  flipByteAt(file.path(), loc.offset + loc.size - 5);
  std::string payload;
  try {
    file.read(loc, payload, "shuffle 3 map 5 reduce 2");
    FAIL() << "read a damaged frame";
  } catch (const CorruptBlockError& e) {
    EXPECT_THAT(e.what(), AllOf(StartsWith("shuffle 3 map 5 reduce 2 (spill file " +
                                           file.path().string() + " at offset " +
                                           std::to_string(loc.offset) + "): checksum mismatch"),
                                HasSubstr("damaged on disk or in transit")));
  }
}

TEST(SpillFile, ATruncatedFileOrAWrongLocationIsCorruptBlockError) {
  testing::TempDir dir;
  SpillFile file(dir.path(), "cut");
  const FrameLocation first = file.append(payloadFor(3), Codec::kNone);
  const FrameLocation second = file.append(payloadFor(5), Codec::kNone);
  std::string payload;
  EXPECT_THROW(file.read({first.offset, first.size + 1}, payload, "b"), CorruptBlockError);
  EXPECT_THROW(file.read({first.offset + 1, first.size}, payload, "b"), CorruptBlockError);
  EXPECT_THROW(file.read({0, 3}, payload, "b"), CorruptBlockError);
  ASSERT_EQ(::truncate(file.path().c_str(), second.offset + second.size - 10), 0);
  try {
    file.read(second, payload, "b");
    FAIL() << "read a truncated frame";
  } catch (const CorruptBlockError& e) {
    EXPECT_THAT(e.what(), HasSubstr("truncated payload"));
  }
  ASSERT_EQ(::truncate(file.path().c_str(), second.offset + 4), 0);
  EXPECT_THROW(file.read(second, payload, "b"), CorruptBlockError);
  file.read(first, payload, "b");  // what is left is still readable
  EXPECT_EQ(payload, payloadFor(3));
}

TEST(SpillFile, ADirectoryThatIsAFileGivesIoErrorNamingIt) {
  testing::TempDir dir;
  const std::string notADir = dir.write("plain-file", "x");
  try {
    SpillFile file(fs::path(notADir) / "spill", "p");
    FAIL() << "created a spill file under a regular file";
  } catch (const IoError& e) {
    EXPECT_THAT(e.what(), AllOf(HasSubstr(notADir), HasSubstr("ember.local.dir")));
  }
}

TEST(SpillFile, AnUnwritableDirectoryGivesIoErrorNamingIt) {
  if (::geteuid() == 0) GTEST_SKIP() << "root ignores directory permissions";
  testing::TempDir dir;
  const fs::path locked = fs::path(dir.path()) / "locked";
  fs::create_directory(locked);
  fs::permissions(locked, fs::perms::owner_read | fs::perms::owner_exec);
  try {
    SpillFile file(locked, "p");
    FAIL() << "created a spill file in a read-only directory";
  } catch (const IoError& e) {
    EXPECT_THAT(e.what(), AllOf(HasSubstr("cannot create a spill file in " + locked.string()),
                                HasSubstr("Permission denied"),
                                HasSubstr("set ember.local.dir to a writable directory")));
  }
  fs::permissions(locked, fs::perms::owner_all);
}

// /dev/full fails every write with ENOSPC, as a full disk does.
TEST(SpillFile, AFullDiskSaysSoAndWhatToDo) {
  const int fd = ::open("/dev/full", O_WRONLY | O_CLOEXEC);
  if (fd < 0) GTEST_SKIP() << "no /dev/full";
  try {
    detail::writeFully(fd, "data", 4, 0, "/tmp/spill/shuffle-1.data");
    ADD_FAILURE() << "wrote to /dev/full";
  } catch (const IoError& e) {
    EXPECT_STREQ(e.what(),
                 "no space left on device while writing /tmp/spill/shuffle-1.data: free space or "
                 "point ember.local.dir at a larger disk");
  }
  ::close(fd);
}

}  // namespace
}  // namespace ember

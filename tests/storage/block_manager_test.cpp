// BlockManager: one writer per block while the others wait, LRU eviction
// by execution (to disk for levels with disk, dropped otherwise), room for
// a new block made from other RDDs only, removal of memory and files, and
// the errors of an unwritable ember.local.dir.

#include "storage/block_manager.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common/error.hpp"
#include "storage/checkpoint_file.hpp"
#include "storage/serializer.hpp"
#include "support/temp_dir.hpp"

namespace {

using ember::BlockId;
using ember::BlockManager;
using ember::StorageLevel;
using ember::testing::TempDir;

/// Numbers held as objects; serialized as one serializeBatch per frame.
class Numbers final : public ember::BlockValues {
 public:
  explicit Numbers(std::vector<int64_t> v) : v_(std::move(v)) {}
  void serialize(const std::function<void(std::string_view)>& emit) const override {
    std::string payload;
    ember::ByteWriter writer(payload);
    ember::serializeBatch(writer, v_.data(), v_.size());
    emit(payload);
  }
  int64_t records() const override { return static_cast<int64_t>(v_.size()); }
  const std::vector<int64_t>& values() const { return v_; }

 private:
  std::vector<int64_t> v_;
};

std::vector<int64_t> readBack(const BlockManager::ReadHandle& block) {
  std::vector<int64_t> out;
  if (const ember::MemoryEntry* m = block.memory(); m && m->values) {
    return static_cast<const Numbers&>(*m->values).values();
  }
  std::string payload;
  auto decode = [&] {
    ember::ByteReader reader(payload, "test block");
    while (!reader.atEnd()) ember::deserializeBatch(reader, out);
  };
  if (const ember::MemoryEntry* m = block.memory()) {
    for (const std::string& frame : *m->frames) {
      ember::decodeFrame(frame, payload, "test block");
      decode();
    }
  } else {
    for (const auto& where : block.disk()->frames) {
      block.disk()->file->read(where, payload, "test block");
      decode();
    }
  }
  return out;
}

int filesIn(const std::string& dir) {
  int n = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    n += entry.is_regular_file() ? 1 : 0;
  }
  return n;
}

class BlockManagerTest : public ::testing::Test {
 protected:
  /// A pool of 1000 bytes, no storage region (execution may evict every
  /// block), one task slot.
  ember::MemoryManager memory_{1000, 0.0, 1};
  TempDir dir_;
  ember::ScratchDir scratch_{dir_.path()};
  std::vector<std::string> events_;
  BlockManager blocks_{
      memory_, scratch_, ember::Codec::kLz4,
      [this](const BlockId& id, const StorageLevel& level, int64_t memSize, int64_t diskSize) {
        events_.push_back(id.name() + " " + level.description() + " " + std::to_string(memSize) +
                          " " + std::to_string(diskSize));
      }};

  void SetUp() override {
    memory_.addEvictor([this](int64_t bytes) { return blocks_.evict(bytes); });
  }

  /// Stores numbers 0..n-1 as block (rdd, p) held as objects of `bytes`.
  void putNumbers(BlockId id, StorageLevel level, int64_t bytes, int n = 10) {
    auto lookup = blocks_.getOrLock(id);
    ASSERT_TRUE(lookup.toWrite);
    ASSERT_TRUE(blocks_.reserveUnroll(bytes, id.rddId));
    std::vector<int64_t> v(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) v[static_cast<size_t>(i)] = i + id.partition * 1000;
    lookup.toWrite->putValues(level, std::make_shared<Numbers>(std::move(v)), bytes);
  }
};

TEST_F(BlockManagerTest, OneTaskComputesABlockWhileTheOthersWaitForIt) {
  const BlockId id{1, 0};
  auto first = blocks_.getOrLock(id);
  ASSERT_TRUE(first.toWrite);
  std::atomic<int> found{0};
  std::vector<std::thread> readers;
  for (int i = 0; i < 3; ++i) {
    readers.emplace_back([&] {
      auto lookup = blocks_.getOrLock(id);
      if (lookup.found && readBack(*lookup.found) == std::vector<int64_t>{7, 8}) ++found;
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(found.load(), 0);
  ASSERT_TRUE(blocks_.reserveUnroll(100, 1));
  first.toWrite->putValues(StorageLevel::MEMORY_ONLY,
                           std::make_shared<Numbers>(std::vector<int64_t>{7, 8}), 100);
  for (auto& t : readers) t.join();
  EXPECT_EQ(found.load(), 3);
  // The same thread asking again while it holds the lock computes without it.
  auto again = blocks_.getOrLock({1, 1});
  ASSERT_TRUE(again.toWrite);
  auto nested = blocks_.getOrLock({1, 1});
  EXPECT_FALSE(nested.found);
  EXPECT_FALSE(nested.toWrite);
}

TEST_F(BlockManagerTest, AnAbandonedWriteLetsTheNextTaskCompute) {
  { auto lookup = blocks_.getOrLock({2, 0}); }
  auto next = blocks_.getOrLock({2, 0});
  EXPECT_TRUE(next.toWrite);
  EXPECT_FALSE(blocks_.contains({2, 0}));
}

TEST_F(BlockManagerTest, ExecutionEvictsLeastRecentlyUsedBlocksToDiskOrDropsThem) {
  putNumbers({1, 0}, StorageLevel::MEMORY_ONLY, 300);
  putNumbers({1, 1}, StorageLevel::MEMORY_AND_DISK, 300);
  putNumbers({1, 2}, StorageLevel::MEMORY_AND_DISK, 300);
  EXPECT_EQ(memory_.storageUsed(), 900);
  { auto touch = blocks_.getOrLock({1, 0}); }  // now the most recently used
  // Execution wants 500: the two least recently used blocks leave memory.
  EXPECT_EQ(memory_.acquireExecution(500, 0), 500);
  EXPECT_EQ(memory_.storageUsed(), 300);
  EXPECT_TRUE(blocks_.contains({1, 0}));
  auto moved = blocks_.getOrLock({1, 1});
  ASSERT_TRUE(moved.found);
  ASSERT_TRUE(moved.found->disk());
  EXPECT_EQ(readBack(*moved.found),
            (std::vector<int64_t>{1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009}));
  EXPECT_EQ(filesIn(scratch_.path()), 2);
  const auto status = blocks_.rddStatus(1);
  EXPECT_EQ(status.cachedPartitions, 3);
  EXPECT_EQ(status.memSize, 300);
  EXPECT_GT(status.diskSize, 0);
}

TEST_F(BlockManagerTest, AMemoryOnlyBlockEvictedIsGone) {
  putNumbers({1, 0}, StorageLevel::MEMORY_ONLY, 600);
  EXPECT_EQ(blocks_.evict(100), 600);
  EXPECT_FALSE(blocks_.contains({1, 0}));
  EXPECT_EQ(events_.back(), "rdd_1_0  0 0");
}

TEST_F(BlockManagerTest, ABlockBeingReadIsNotEvicted) {
  putNumbers({1, 0}, StorageLevel::MEMORY_ONLY, 600);
  auto reading = blocks_.getOrLock({1, 0});
  ASSERT_TRUE(reading.found);
  EXPECT_EQ(blocks_.evict(600), 0);
  reading.found.reset();
  EXPECT_EQ(blocks_.evict(600), 600);
}

TEST_F(BlockManagerTest, ANewBlockEvictsOtherRddsButNotItsOwn) {
  putNumbers({1, 0}, StorageLevel::MEMORY_ONLY, 400);
  putNumbers({1, 1}, StorageLevel::MEMORY_AND_DISK, 400);
  // RDD 1 may not evict its own blocks: 200 are free, 500 are asked.
  EXPECT_FALSE(blocks_.reserveUnroll(500, 1));
  EXPECT_EQ(blocks_.rddStatus(1).memSize, 800);
  // RDD 3 may evict RDD 1's, least recently used first, as many as it needs.
  EXPECT_TRUE(blocks_.reserveUnroll(500, 3));
  EXPECT_FALSE(blocks_.contains({1, 0}));
  EXPECT_EQ(blocks_.rddStatus(1).memSize, 400);
  blocks_.releaseUnroll(500);
  // Asking for more than every other RDD holds evicts nothing.
  EXPECT_FALSE(blocks_.reserveUnroll(2000, 3));
  EXPECT_EQ(blocks_.rddStatus(1).memSize, 400);
}

TEST_F(BlockManagerTest, SerializedBlocksMoveToDiskFrameForFrame) {
  std::string payload;
  ember::ByteWriter writer(payload);
  const std::vector<int64_t> numbers{5, 6, 7};
  ember::serializeBatch(writer, numbers.data(), numbers.size());
  std::vector<std::string> frames(2);
  ember::encodeFrame(payload, ember::Codec::kLz4, frames[0]);
  ember::encodeFrame(payload, ember::Codec::kNone, frames[1]);
  const auto bytes = static_cast<int64_t>(frames[0].size() + frames[1].size());
  auto lookup = blocks_.getOrLock({4, 0});
  ASSERT_TRUE(blocks_.reserveUnroll(bytes, 4));
  lookup.toWrite->putFrames(StorageLevel::MEMORY_AND_DISK_SER, frames, bytes);
  EXPECT_EQ(blocks_.rddStatus(4).memSize, bytes);
  EXPECT_EQ(blocks_.evict(1), bytes);
  auto block = blocks_.getOrLock({4, 0});
  ASSERT_TRUE(block.found && block.found->disk());
  EXPECT_EQ(block.found->disk()->size, bytes);
  EXPECT_EQ(readBack(*block.found), (std::vector<int64_t>{5, 6, 7, 5, 6, 7}));
}

TEST_F(BlockManagerTest, RemoveRddFreesMemoryAndFiles) {
  putNumbers({1, 0}, StorageLevel::MEMORY_AND_DISK, 300);
  putNumbers({1, 1}, StorageLevel::MEMORY_AND_DISK, 300);
  putNumbers({2, 0}, StorageLevel::MEMORY_ONLY, 300);
  blocks_.evict(300);  // rdd_1_0 to disk
  EXPECT_EQ(filesIn(scratch_.path()), 1);
  blocks_.removeRdd(1);
  EXPECT_EQ(filesIn(scratch_.path()), 0);
  EXPECT_EQ(memory_.storageUsed(), 300);
  EXPECT_EQ(blocks_.rddStatus(1).cachedPartitions, 0);
  EXPECT_EQ(blocks_.rddStatus(2).cachedPartitions, 1);
  // A block whose computation was under way when its RDD was removed is
  // not stored.
  auto late = blocks_.getOrLock({2, 1});
  blocks_.removeRdd(2);
  ASSERT_TRUE(blocks_.reserveUnroll(100, 2));
  late.toWrite->putValues(StorageLevel::MEMORY_ONLY,
                          std::make_shared<Numbers>(std::vector<int64_t>{1}), 100);
  EXPECT_FALSE(blocks_.contains({2, 1}));
  EXPECT_EQ(memory_.storageUsed(), 0);
}

TEST_F(BlockManagerTest, ListenersHearWhereEachBlockIs) {
  putNumbers({1, 0}, StorageLevel::MEMORY_AND_DISK, 300);
  blocks_.evict(300);
  blocks_.removeRdd(1);
  ASSERT_EQ(events_.size(), 3U);
  EXPECT_EQ(events_[0], "rdd_1_0 Memory Deserialized 1x Replicated 300 0");
  EXPECT_TRUE(events_[1].starts_with("rdd_1_0 Disk Serialized 1x Replicated 0 ")) << events_[1];
  EXPECT_EQ(events_[2], "rdd_1_0  0 0");
}

TEST(BlockManagerDisk, AnUnwritableLocalDirIsAnIoErrorNamingIt) {
  TempDir dir;
  const std::string notADir = dir.write("file", "x");
  ember::MemoryManager memory(1000, 0.5, 1);
  ember::ScratchDir scratch(notADir + "/sub");
  BlockManager blocks(memory, scratch, ember::Codec::kLz4);
  try {
    blocks.newDiskFile({1, 0});
    FAIL() << "no error";
  } catch (const ember::IoError& e) {
    EXPECT_NE(std::string(e.what()).find(notADir), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("ember.local.dir"), std::string::npos) << e.what();
  }
}

TEST(CheckpointFile, RoundTripsFramesAndIsInvisibleUntilCommitted) {
  TempDir dir;
  const std::filesystem::path path = dir / "rdd-1/part-00000";
  {
    ember::CheckpointFileWriter writer(path);
    writer.append("first frame", ember::Codec::kLz4);
    writer.append(std::string(100000, 'x'), ember::Codec::kLz4);
    EXPECT_FALSE(std::filesystem::exists(path));
    writer.commit();
  }
  ember::CheckpointFileReader reader(path);
  std::string payload;
  ASSERT_TRUE(reader.next(payload));
  EXPECT_EQ(payload, "first frame");
  ASSERT_TRUE(reader.next(payload));
  EXPECT_EQ(payload, std::string(100000, 'x'));
  EXPECT_FALSE(reader.next(payload));
  {
    ember::CheckpointFileWriter abandoned(dir / "rdd-1/part-00001");
    abandoned.append("lost", ember::Codec::kNone);
  }
  EXPECT_EQ(filesIn(dir.path()), 1);
  EXPECT_THROW(ember::CheckpointFileReader(dir / "rdd-1/part-00001"), ember::IoError);
}

}  // namespace

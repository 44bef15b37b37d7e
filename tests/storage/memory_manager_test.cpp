// The unified memory budget: fair shares for tasks, storage borrowing free
// memory, execution taking it back by eviction.

#include "storage/memory_manager.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <thread>
#include <vector>

#include "storage/memory_reservation.hpp"

namespace ember {
namespace {

constexpr int64_t kMiB = int64_t{1} << 20;

TEST(MemoryManager, ATaskGetsAtMostItsShareOfThePool) {
  MemoryManager memory(100 * kMiB, 0.5, 4);
  EXPECT_EQ(memory.acquireExecution(60 * kMiB, 0), 25 * kMiB);
  EXPECT_EQ(memory.acquireExecution(10 * kMiB, 25 * kMiB), 0);
  EXPECT_EQ(memory.executionUsed(), 25 * kMiB);
  memory.releaseExecution(25 * kMiB);
  EXPECT_EQ(memory.executionUsed(), 0);
}

TEST(MemoryManager, ExecutionGetsOnlyWhatIsFree) {
  MemoryManager memory(100 * kMiB, 0.5, 1);
  ASSERT_TRUE(memory.acquireStorage(40 * kMiB));  // within the storage region: not evictable
  EXPECT_EQ(memory.acquireExecution(100 * kMiB, 0), 60 * kMiB);
}

TEST(MemoryManager, StorageBorrowsFreeMemoryButNeverEvictsExecution) {
  MemoryManager memory(100 * kMiB, 0.5, 1);
  ASSERT_EQ(memory.acquireExecution(30 * kMiB, 0), 30 * kMiB);
  EXPECT_TRUE(memory.acquireStorage(70 * kMiB));  // past its region, into free memory
  EXPECT_FALSE(memory.acquireStorage(1));
  EXPECT_EQ(memory.storageUsed(), 70 * kMiB);
}

TEST(MemoryManager, ExecutionEvictsBorrowedStorageDownToTheStorageRegion) {
  MemoryManager memory(100 * kMiB, 0.5, 1);
  ASSERT_TRUE(memory.acquireStorage(90 * kMiB));
  int64_t asked = 0;
  memory.addEvictor([&](int64_t bytes) {
    asked += bytes;
    memory.releaseStorage(bytes);
    return bytes;
  });
  // 10 MiB are free; 40 more come from storage above its 50 MiB region, and
  // no further: the rest of the request is refused, not taken from storage.
  EXPECT_EQ(memory.acquireExecution(80 * kMiB, 0), 50 * kMiB);
  EXPECT_EQ(asked, 40 * kMiB);
  EXPECT_EQ(memory.storageUsed(), 50 * kMiB);
  // Storage at or below its region is safe: nothing more is evicted.
  memory.releaseExecution(50 * kMiB);
  EXPECT_EQ(memory.acquireExecution(100 * kMiB, 0), 50 * kMiB);
  EXPECT_EQ(asked, 40 * kMiB);
}

TEST(MemoryManager, EvictorsAreAskedInOrderUntilEnoughIsFreed) {
  MemoryManager memory(100 * kMiB, 0.1, 1);
  ASSERT_TRUE(memory.acquireStorage(100 * kMiB));
  std::vector<int> order;
  for (int i = 0; i < 3; ++i) {
    memory.addEvictor([&, i](int64_t) {
      order.push_back(i);
      memory.releaseStorage(20 * kMiB);
      return 20 * kMiB;
    });
  }
  EXPECT_EQ(memory.acquireExecution(30 * kMiB, 0), 30 * kMiB);
  EXPECT_EQ(order, (std::vector<int>{0, 1}));
}

TEST(MemoryReservation, GrowsInStepsAndGivesEverythingBack) {
  MemoryManager memory(64 * kMiB, 0.5, 1);
  {
    MemoryReservation reservation(memory);
    EXPECT_TRUE(reservation.ensure(100));
    EXPECT_GE(reservation.held(), 100);
    EXPECT_TRUE(reservation.ensure(10 * kMiB));
    EXPECT_FALSE(reservation.ensure(65 * kMiB));
    EXPECT_LE(memory.executionUsed(), 64 * kMiB);
    EXPECT_EQ(memory.executionUsed(), reservation.held());
  }
  EXPECT_EQ(memory.executionUsed(), 0);
}

TEST(MemoryReservation, ConcurrentTasksNeverExceedThePool) {
  MemoryManager memory(32 * kMiB, 0.5, 4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        MemoryReservation reservation(memory);
        for (int64_t want = kMiB; reservation.ensure(want); want += kMiB) {
          EXPECT_LE(reservation.held(), 8 * kMiB);
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(memory.executionUsed(), 0);
}

}  // namespace
}  // namespace ember

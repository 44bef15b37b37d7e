// BlockStatusTable: the driver's sums of the executors' block reports, with
// a block's later report replacing its earlier one and zero bytes removing it.

#include "storage/block_status_table.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace {

using ember::BlockStatusTable;

void expectStatus(const BlockStatusTable& table, int rddId, int partitions, int64_t mem,
                  int64_t disk) {
  const ember::RddBlockStatus status = table.rddStatus(rddId);
  EXPECT_EQ(status.cachedPartitions, partitions);
  EXPECT_EQ(status.memSize, mem);
  EXPECT_EQ(status.diskSize, disk);
}

TEST(BlockStatusTable, SumsTheBlocksOfEveryExecutorPerRdd) {
  BlockStatusTable table;
  table.update(1, {7, 0}, 100, 0);
  table.update(2, {7, 1}, 0, 40);
  table.update(1, {8, 0}, 5, 0);
  expectStatus(table, 7, 2, 100, 40);
  expectStatus(table, 8, 1, 5, 0);
  expectStatus(table, 9, 0, 0, 0);
}

TEST(BlockStatusTable, ALaterReportReplacesAndZeroRemoves) {
  BlockStatusTable table;
  table.update(1, {3, 2}, 100, 0);
  table.update(1, {3, 2}, 0, 60);  // evicted to disk
  expectStatus(table, 3, 1, 0, 60);
  table.update(1, {3, 2}, 0, 0);
  expectStatus(table, 3, 0, 0, 0);
}

TEST(BlockStatusTable, TheSamePartitionOnTwoExecutorsCountsTwice) {
  // Spark's RDDInfo counts blocks: a partition computed in two places is two.
  BlockStatusTable table;
  table.update(1, {4, 0}, 10, 0);
  table.update(2, {4, 0}, 10, 0);
  expectStatus(table, 4, 2, 20, 0);
}

TEST(BlockStatusTable, RemoveRddForgetsOnlyThatRdd) {
  BlockStatusTable table;
  for (int rdd = 1; rdd <= 3; ++rdd)
    for (int p = 0; p < 4; ++p) table.update(p % 2 + 1, {rdd, p}, rdd, 0);
  table.removeRdd(2);
  expectStatus(table, 1, 4, 4, 0);
  expectStatus(table, 2, 0, 0, 0);
  expectStatus(table, 3, 4, 12, 0);
}

TEST(BlockStatusTable, HoldersAreTheExecutorsReportingTheBlockUntilItGoes) {
  BlockStatusTable table;
  table.update(2, {5, 0}, 100, 0);
  table.update(1, {5, 0}, 0, 40);
  table.update(3, {5, 1}, 10, 0);
  table.update(1, {6, 0}, 10, 0);
  EXPECT_EQ(table.holders({5, 0}), (std::vector<int>{1, 2}));
  EXPECT_EQ(table.holders({5, 1}), (std::vector<int>{3}));
  EXPECT_TRUE(table.holders({5, 2}).empty());
  table.update(2, {5, 0}, 0, 0);
  EXPECT_EQ(table.holders({5, 0}), (std::vector<int>{1}));
  table.removeRdd(5);
  EXPECT_TRUE(table.holders({5, 0}).empty());
  EXPECT_EQ(table.holders({6, 0}), (std::vector<int>{1}));
}

TEST(BlockStatusTable, ALostExecutorsBlocksAreForgotten) {
  BlockStatusTable table;
  table.update(1, {5, 0}, 100, 0);
  table.update(2, {5, 0}, 100, 0);
  table.update(2, {5, 1}, 0, 30);
  table.removeExecutor(2);
  EXPECT_EQ(table.holders({5, 0}), (std::vector<int>{1}));
  EXPECT_TRUE(table.holders({5, 1}).empty());
  const ember::RddBlockStatus status = table.rddStatus(5);
  EXPECT_EQ(status.cachedPartitions, 1);
  EXPECT_EQ(status.memSize, 100);
  EXPECT_EQ(status.diskSize, 0);
}

}  // namespace

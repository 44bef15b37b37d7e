#pragma once
// Runtime: the services a Context owns and every RDD of it shares.

#include <atomic>
#include <memory>
#include <string>

#include "common/conf.hpp"
#include "common/master_url.hpp"
#include "rdd/detail/checkpoint_dir.hpp"
#include "rdd/detail/persistent_rdds.hpp"
#include "scheduler/accumulator_registry.hpp"
#include "scheduler/dag_scheduler.hpp"
#include "scheduler/listener_bus.hpp"
#include "scheduler/local_backend.hpp"
#include "storage/block_manager.hpp"
#include "storage/memory_manager.hpp"
#include "storage/record_frames.hpp"
#include "storage/scratch_dir.hpp"
#include "storage/shuffle_store.hpp"

namespace ember::detail {

/// Shared by a Context and its RDDs (RDD nodes hold it by shared_ptr, so an
/// Rdd that outlives its Context stays safe to destroy).
struct Runtime {
  explicit Runtime(Conf c);

  Conf conf;
  MasterUrl master;
  int cores;
  size_t batchSize;
  int defaultParallelism;     // of sources: ember.default.parallelism or the cores
  int configuredParallelism;  // 0 when ember.default.parallelism is not set
  int64_t maxPartitionBytes;
  LocalBackend backend;
  // Declared before the stores that use them, so destroyed after them.
  std::unique_ptr<MemoryManager> memory;
  ScratchDir scratch;
  SpillTarget spill;
  ShuffleStore shuffles;
  ListenerBus bus;
  AccumulatorRegistry accumulators;
  DagScheduler scheduler;
  BlockManager blocks;  // cached partitions; reports to `bus`
  PersistentRdds persistentRdds;
  CheckpointDir checkpointDir;
  std::atomic<int> nextRddId{0};
  std::atomic<int> nextShuffleId{0};
  std::atomic<int64_t> nextBroadcastId{0};
};

}  // namespace ember::detail

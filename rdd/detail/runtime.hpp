#pragma once
// Runtime: the services a Context owns and every RDD of it shares.

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "common/cluster_env.hpp"
#include "common/conf.hpp"
#include "common/master_url.hpp"
#include "common/process_group.hpp"
#include "rdd/detail/checkpoint_dir.hpp"
#include "rdd/detail/persistent_rdds.hpp"
#include "scheduler/accumulator_registry.hpp"
#include "scheduler/cluster.hpp"
#include "scheduler/dag_scheduler.hpp"
#include "scheduler/listener_bus.hpp"
#include "scheduler/local_backend.hpp"
#include "storage/block_manager.hpp"
#include "storage/block_status_table.hpp"
#include "storage/memory_manager.hpp"
#include "storage/record_frames.hpp"
#include "storage/scratch_dir.hpp"
#include "storage/shuffle_store.hpp"

namespace ember::detail {

/// Shared by a Context and its RDDs (RDD nodes hold it by shared_ptr, so an
/// Rdd that outlives its Context stays safe to destroy).
struct Runtime {
  explicit Runtime(Conf c);

  /// The end of main(): in a cluster, the driver stops the executors and
  /// waits for the processes it started; an executor waits to be stopped.
  /// Returns how the first of the started processes failed, or "".
  std::string finish();
  /// A shuffle's dependency is gone: its outputs may go. In a cluster the
  /// driver decides for every process (an executor's main() may drop an RDD
  /// whose shuffle the driver still reads).
  void releaseShuffle(int shuffleId);
  /// Broadcast `id` of this process: on the driver of a cluster, `bytes()`
  /// is sent to every executor; on an executor, the driver's bytes are
  /// returned, to replace its own value. Empty in local mode and on the
  /// driver.
  std::optional<std::string> shareBroadcast(int64_t id, const std::function<std::string()>& bytes);
  /// What every process of the job holds of the RDD: the driver keeps the
  /// executors' reports; an executor has the driver's sums as of the last
  /// job's end.
  RddBlockStatus rddStatus(int rddId);
  /// Drops the RDD's blocks; on a cluster the driver drops them in every
  /// process (with `blocking`, waiting until they have), as Spark's
  /// unpersist does, and an executor leaves them to it.
  void removeRddBlocks(int rddId, bool blocking);

  Conf conf;
  MasterUrl master;
  /// This process's messages (warnings, recovery decisions) on stderr.
  std::function<void(const std::string&)> log;
  /// Set when this process is one of several (ember-run, mpirun, srun, or a
  /// process that local-cluster started).
  std::optional<ClusterEnv> clusterEnv;
  /// local-cluster[P,C] on the driver: ranks 1..P-1, copies of this program.
  std::unique_ptr<ProcessGroup> children;
  int cores;  // task slots of this process
  size_t batchSize;
  int defaultParallelism = 0;     // of sources: ember.default.parallelism or every slot
  int configuredParallelism = 0;  // 0 when ember.default.parallelism is not set
  int64_t maxPartitionBytes;
  LocalBackend local;  // this process's slots in local mode
  // Declared before the stores that use them, so destroyed after them.
  std::unique_ptr<MemoryManager> memory;
  ScratchDir scratch;
  SpillTarget spill;
  ShuffleStore shuffles;
  ListenerBus bus;
  AccumulatorRegistry accumulators;
  std::unique_ptr<Cluster> cluster;  // null in local mode
  DagScheduler scheduler;
  BlockManager blocks;            // cached partitions; reports to `bus` and the driver
  BlockStatusTable remoteBlocks;  // on a cluster's driver: the executors' blocks
  PersistentRdds persistentRdds;
  CheckpointDir checkpointDir;
  std::atomic<int> nextRddId{0};
  std::atomic<int> nextShuffleId{0};
  std::atomic<int64_t> nextBroadcastId{0};
  /// newRunId(), the driver's on a cluster: with nextOutputId it names the
  /// output and checkpoint directories that every process's tasks write.
  std::string runId;
  std::atomic<int> nextOutputId{0};

  /// The next name of a directory every process writes into: the same in
  /// every process, since each makes the same calls in the same order.
  std::string sharedDirName() { return runId + "-" + std::to_string(nextOutputId++); }

 private:
  void blockUpdated(const BlockId& id, const StorageLevel& level, int64_t memSize,
                    int64_t diskSize);
  void serveStorage();
};

}  // namespace ember::detail

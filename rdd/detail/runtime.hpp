#pragma once
// Runtime: the services a Context owns and every RDD of it shares.

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <vector>

#include "common/cluster_env.hpp"
#include "common/conf.hpp"
#include "common/master_url.hpp"
#include "rdd/detail/checkpoint_dir.hpp"
#include "rdd/detail/persistent_rdds.hpp"
#include "scheduler/accumulator_registry.hpp"
#include "scheduler/listener_bus.hpp"
#include "scheduler/result_task.hpp"
#include "storage/block_manager.hpp"
#include "storage/block_status_table.hpp"
#include "storage/memory_manager.hpp"
#include "storage/record_frames.hpp"
#include "storage/scratch_dir.hpp"
#include "storage/shuffle_store.hpp"

namespace ember {
struct BucketRequest;
class Cluster;
class DagScheduler;
class LocalBackend;
class MapOutputTracker;
class ProcessGroup;
class RddNode;
namespace net {
class Transport;
}
}  // namespace ember

namespace ember::detail {

/// Shared by a Context and its RDDs (RDD nodes hold it by shared_ptr, so an
/// Rdd that outlives its Context stays safe to destroy).
///
/// Every RDD's code includes this header, so the services that only the
/// library's .cpp files use (the schedulers, the cluster runtime, the
/// processes local-cluster starts) are held by pointer to declared types:
/// a user's translation unit does not compile the cluster runtime's headers.
struct Runtime {
  /// With `transport`, this process is one rank of a job joined by it (see
  /// Context's constructor); else the master and the environment say.
  explicit Runtime(Conf c, std::unique_ptr<net::Transport> transport = nullptr);
  ~Runtime();
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  /// Runs a job on `partitions` of `rdd` (DagScheduler::runJob).
  void runJob(const std::shared_ptr<RddNode>& rdd, const std::vector<int>& partitions,
              const ResultTask& task, const std::string& callSite);
  void runJob(const std::shared_ptr<RddNode>& rdd, const std::vector<int>& partitions,
              const std::function<void(int partition, TaskContext&)>& task,
              const std::string& callSite);
  /// REQUIRES: distributed(). Fetches shuffle buckets from the other
  /// processes (BlockTransferService::fetchAll).
  void fetchRemote(const std::vector<BucketRequest>& requests,
                   const std::function<void(const BucketRequest&, std::string&)>& consume) const;
  /// Whether this process is one of several.
  bool distributed() const { return cluster != nullptr; }
  /// True in local mode and on a cluster's driver.
  bool isDriver() const;

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
  std::unique_ptr<LocalBackend> local;  // this process's slots in local mode
  // Declared before the stores that use them, so destroyed after them.
  std::unique_ptr<MemoryManager> memory;
  ScratchDir scratch;
  SpillTarget spill;
  ShuffleStore shuffles;
  std::unique_ptr<MapOutputTracker> mapOutputs;
  ListenerBus bus;
  AccumulatorRegistry accumulators;
  std::unique_ptr<Cluster> cluster;  // null in local mode
  std::unique_ptr<DagScheduler> scheduler;
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

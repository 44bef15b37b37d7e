#pragma once
// Cluster: this process's part in a job that spans several processes.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "net/transport.hpp"
#include "scheduler/accumulator_updates.hpp"
#include "scheduler/cluster_backend.hpp"
#include "scheduler/detail/protocol.hpp"
#include "scheduler/executor_backend.hpp"
#include "scheduler/map_output_tracker.hpp"
#include "storage/block_id.hpp"
#include "storage/block_transfer_service.hpp"
#include "storage/rdd_block_status.hpp"
#include "storage/shuffle_store.hpp"
#include "storage/storage_level.hpp"

namespace ember {

/// Joins the processes of a job over a transport and routes what arrives:
/// fetches to the block transfer service, task reports to the driver's
/// ClusterBackend, jobs and tasks to an executor's ExecutorBackend. On the
/// driver it also tells the executors when jobs start and end and where map
/// outputs are.
///
/// Thread safety: the driver methods are called by the DAG scheduler, one
/// job at a time; everything else is internal.
class Cluster {
 public:
  struct Options {
    int cores = 1;
    int maxTaskAttempts = 4;
    int64_t maxBytesInFlight = int64_t{48} << 20;
    /// How long to wait for peers to join, and for a peer that sends
    /// nothing before it is declared lost.
    std::chrono::milliseconds timeout{120'000};
    /// How often each process tells the others it is alive.
    std::chrono::milliseconds heartbeatInterval{10'000};
    /// How long a task waits for the process holding its cached blocks.
    std::chrono::milliseconds localityWait{3'000};
    ClusterBackend::Speculation speculation;
  };
  using Log = std::function<void(const std::string&)>;

  /// Starts the transport and waits for every process to join. Throws
  /// NetError naming the processes that did not.
  Cluster(std::unique_ptr<net::Transport> transport, ShuffleStore& shuffles,
          MapOutputTracker& mapOutputs, Options options, Log log);
  /// finish(), if not called yet.
  ~Cluster();
  Cluster(const Cluster&) = delete;
  Cluster& operator=(const Cluster&) = delete;

  int rank() const { return transport_->rank(); }
  int size() const { return transport_->size(); }
  bool isDriver() const { return rank() == 0; }
  /// Task slots of every process together, the same number everywhere.
  int totalCores() const { return totalCores_; }
  /// The driver's newRunId(), the same in every process: names what the
  /// processes share on disk.
  const std::string& runId() const { return runId_; }
  BlockTransferService& transfer() { return transfer_; }
  /// REQUIRES: isDriver().
  ClusterBackend& backend() { return *driver_; }
  /// REQUIRES: !isDriver().
  ExecutorBackend& executor() { return *executor_; }

  // The driver's announcements to every executor.
  /// Waits for every executor's answer and gives the backend the ones at
  /// this action. Throws Error when one built a different lineage.
  void jobStarted(int jobId, const std::string& callSite, const std::vector<std::string>& lineage);
  /// The driver dropped the shuffle: the executors drop their outputs.
  void shuffleRemoved(int shuffleId);
  /// With the action's results and the accumulators' totals.
  void jobEnded(int jobId, bool succeeded, const std::string& error,
                const std::vector<std::string>& results,
                const AccumulatorUpdates::Map& accumulators);
  /// The driver's value of broadcast `id`, sent once to every executor.
  void publishBroadcast(int64_t id, const std::string& bytes);

  /// REQUIRES: !isDriver(). The driver's value of broadcast `id`, once it
  /// arrived. Throws NetError when the driver is lost or it does not come
  /// within ember.network.timeout.
  std::string awaitBroadcast(int64_t id);

  // Storage status of the whole job, kept by the driver.
  struct StorageHooks {
    /// On the driver: an executor's block changed.
    std::function<void(int rank, const BlockId& id, const StorageLevel& level, int64_t memSize,
                       int64_t diskSize)>
        onBlockReport;
    /// On the driver: the status of every persisted RDD over every process,
    /// sent to the executors with each job's end.
    std::function<std::map<int, RddBlockStatus>()> snapshot;
    /// On an executor: drop this RDD's blocks.
    std::function<void(int rddId)> removeRdd;
  };
  /// The block manager's side of the messages above; the transport's
  /// thread calls the hooks.
  void serveStorage(StorageHooks hooks);
  /// REQUIRES: isDriver(). The executors drop the RDD's blocks; with
  /// `blocking`, returns once every live one has.
  void rddRemoved(int rddId, bool blocking);
  /// REQUIRES: !isDriver(). Tells the driver about a block of this process;
  /// sent before the end of the task that changed it.
  void reportBlock(const BlockId& id, const StorageLevel& level, int64_t memSize, int64_t diskSize);
  /// REQUIRES: !isDriver(). The driver's status of the RDD, summed over
  /// every process, as of the end of the last job: the state the driver's
  /// main() saw at the same point of the program.
  RddBlockStatus statusAfterLastJob(int rddId);
  /// REQUIRES: !isDriver(). This process unpersisted the RDD, as the
  /// driver's main() does: it has no status until the next job's end.
  void forgetStatus(int rddId);

  /// Whether a peer was lost: it crashed, or hangs and will not end alone.
  bool lostPeers() const {
    for (const auto& lost : lost_)
      if (lost) return true;
    return false;
  }

  /// REQUIRES: !isDriver(). Leaves the job at once, as a crashed process
  /// would: the others hear that this process was lost, and it hears that
  /// they were (its actions throw NetError). For tests of loss recovery
  /// with every process in one (net::InProcessTransport).
  void abandon(const std::string& why);

  /// The end of main(): the driver tells every executor to stop and waits
  /// for their goodbyes; an executor waits for that. Then the transport
  /// closes.
  void finish();

 private:
  void welcomeExecutors();
  void onMessage(int from, net::Message message);
  void handle(int from, net::Message message);
  template <class M>
  void receive(int from, const net::Message& message);
  // One handler per message type the driver or an executor's Cluster reads.
  void on(int from, detail::HelloMessage hello);
  void on(int from, detail::ByeMessage);
  void on(int from, detail::TaskEndMessage end);
  void on(int from, detail::JobAckMessage ack);
  void on(int from, detail::BroadcastMessage broadcast);
  void on(int from, detail::BlockStatusMessage block);
  void on(int from, detail::RemoveRddMessage remove);
  void on(int from, detail::RemoveRddAckMessage ack);
  void on(int from, detail::StorageStatusMessage status);
  void on(int from, detail::RemoveShuffleMessage remove);
  void onPeerLost(int rank, const std::string& why);
  /// Sends heartbeats and declares lost the peers that sent nothing for
  /// the timeout: the driver watches every executor, an executor the driver.
  void heartbeatLoop();
  StorageHooks storageHooks();
  /// Waits for `ready` under mutex_; throws NetError saying `what` the
  /// driver did not send when it is lost or the timeout passes first.
  void awaitDriver(std::unique_lock<std::mutex>& lock, const std::function<bool()>& ready,
                   const std::string& what);
  /// Waits until every executor not lost has `answered`; throws NetError
  /// naming the others, which have not `what`, after the timeout.
  void awaitExecutors(const std::function<bool(size_t rank)>& answered, const std::string& what);
  void toExecutors(const net::Message& message);

  std::unique_ptr<net::Transport> transport_;
  ShuffleStore& shuffles_;
  MapOutputTracker& mapOutputs_;
  Options options_;
  Log log_;
  BlockTransferService transfer_;
  std::unique_ptr<ExecutorBackend> executor_;
  std::unique_ptr<ClusterBackend> driver_;
  std::atomic<ClusterBackend*> driverReady_{nullptr};

  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<int> cores_;  ///< 0 until the rank said hello
  std::vector<int> byes_;   ///< 1 once the rank said goodbye
  /// 1 once the rank's connection ended or it went silent; what it sends
  /// afterwards is dropped. Atomic: read for every message without mutex_.
  std::vector<std::atomic<int>> lost_;
  /// steady_clock nanoseconds of the last message from each rank.
  std::vector<std::atomic<int64_t>> lastHeard_;
  int totalCores_ = 0;
  std::string runId_;
  int ackJob_ = -1;
  std::vector<int> acks_;  ///< JobRole per rank for job ackJob_, -1 until it answers
  std::string refusal_;
  std::map<int64_t, std::string> broadcasts_;  ///< arrived, not yet awaited
  StorageHooks storage_;
  std::map<int, std::vector<int>> removalAcks_;  ///< rdd -> 1 per rank that dropped it
  std::map<int, RddBlockStatus> storageStatus_;  ///< the driver's, after the last job
  bool finished_ = false;
  bool stopping_ = false;  ///< the heartbeats end
  std::thread heartbeat_;  ///< started once every process joined
};

}  // namespace ember

#pragma once
// Cluster: this process's part in a job that spans several processes.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "net/transport.hpp"
#include "scheduler/cluster_backend.hpp"
#include "scheduler/executor_backend.hpp"
#include "storage/block_transfer_service.hpp"
#include "storage/shuffle_store.hpp"

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
    std::chrono::seconds timeout{120};
  };
  using Log = std::function<void(const std::string&)>;

  /// Starts the transport and waits for every process to join. Throws
  /// NetError naming the processes that did not.
  Cluster(std::unique_ptr<net::Transport> transport, ShuffleStore& shuffles, Options options,
          Log log);
  /// finish(), if not called yet.
  ~Cluster();
  Cluster(const Cluster&) = delete;
  Cluster& operator=(const Cluster&) = delete;

  int rank() const { return transport_->rank(); }
  int size() const { return transport_->size(); }
  bool isDriver() const { return rank() == 0; }
  /// Task slots of every process together, the same number everywhere.
  int totalCores() const { return totalCores_; }
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
  void shuffleCompleted(int shuffleId);
  void jobEnded(int jobId, bool succeeded, const std::string& error,
                const std::vector<std::string>& results);

  /// The end of main(): the driver tells every executor to stop and waits
  /// for their goodbyes; an executor waits for that. Then the transport
  /// closes.
  void finish();

 private:
  void onMessage(int from, net::Message message);
  void onPeerLost(int rank, const std::string& why);
  void awaitExecutors(std::vector<int> Cluster::*counter, const char* what);
  void toExecutors(const net::Message& message);

  std::unique_ptr<net::Transport> transport_;
  ShuffleStore& shuffles_;
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
  std::vector<int> lost_;   ///< 1 once the rank's connection ended
  int totalCores_ = 0;
  int ackJob_ = -1;
  std::vector<int> acks_;  ///< JobRole per rank for job ackJob_, -1 until it answers
  std::string refusal_;
  bool finished_ = false;
};

}  // namespace ember

#include "scheduler/cluster.hpp"

#include <algorithm>
#include <sstream>

#include "common/error.hpp"
#include "common/run_id.hpp"

namespace ember {
namespace {

namespace msg = detail;

int64_t nowNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string seconds(std::chrono::milliseconds time) {
  std::ostringstream out;
  out << static_cast<double>(time.count()) / 1000 << " s";
  return out.str();
}

}  // namespace

Cluster::Cluster(std::unique_ptr<net::Transport> transport, ShuffleStore& shuffles,
                 MapOutputTracker& mapOutputs, Options options, Log log)
    : transport_(std::move(transport)),
      shuffles_(shuffles),
      mapOutputs_(mapOutputs),
      options_(options),
      log_(std::move(log)),
      transfer_(*transport_, shuffles, options.maxBytesInFlight),
      cores_(static_cast<size_t>(transport_->size()), 0),
      byes_(cores_.size(), 0),
      lost_(cores_.size()),
      lastHeard_(cores_.size()) {
  if (!isDriver())
    executor_ = std::make_unique<ExecutorBackend>(*transport_, shuffles, mapOutputs, options.cores);
  transport_->setMessageHandler(
      [this](int from, net::Message message) { onMessage(from, std::move(message)); });
  transport_->setPeerLostHandler(
      [this](int rank, const std::string& why) { onPeerLost(rank, why); });
  transport_->start();
  if (!isDriver()) {
    transport_->send(0, detail::encode(msg::HelloMessage{options.cores, ""}));
    std::unique_lock lock(mutex_);
    if (!changed_.wait_for(lock, options_.timeout,
                           [this] { return totalCores_ > 0 || lost_[0]; }) ||
        lost_[0])
      throw NetError("rank " + std::to_string(rank()) +
                     " joined, but the driver did not welcome it; the driver's output says why");
  } else {
    welcomeExecutors();
  }
  for (auto& heard : lastHeard_) heard = nowNanos();
  heartbeat_ = std::thread([this] { heartbeatLoop(); });
}

void Cluster::welcomeExecutors() {
  cores_[0] = options_.cores;
  runId_ = newRunId();
  awaitExecutors([this](size_t r) { return cores_[r] != 0; }, "registered with the driver");
  for (int c : cores_) totalCores_ += c;
  toExecutors(detail::encode(msg::HelloMessage{totalCores_, runId_}));
  driver_ = std::make_unique<ClusterBackend>(
      *transport_, mapOutputs_, cores_,
      ClusterBackend::Options{options_.maxTaskAttempts, options_.localityWait,
                              options_.speculation},
      log_);
  mapOutputs_.setAnnounce([this](const net::Message& m) { toExecutors(m); });
  driverReady_.store(driver_.get(), std::memory_order_release);
}

Cluster::~Cluster() {
  try {
    finish();
  } catch (const std::exception& e) {
    log_(std::string("while ending the cluster: ") + e.what());
  }
}

void Cluster::awaitExecutors(const std::function<bool(size_t rank)>& answered,
                             const std::string& what) {
  std::unique_lock lock(mutex_);
  auto done = [&] {
    for (size_t r = 1; r < cores_.size(); ++r)
      if (!answered(r) && !lost_[r]) return false;
    return true;
  };
  if (changed_.wait_for(lock, options_.timeout, done)) return;
  std::string missing;
  for (size_t r = 1; r < cores_.size(); ++r)
    if (!answered(r) && !lost_[r]) missing += " " + std::to_string(r);
  throw NetError("ranks" + missing + " have not " + what + " within " + seconds(options_.timeout) +
                 " (ember.network.timeout); see their logs");
}

void Cluster::toExecutors(const net::Message& message) {
  for (int r = 1; r < size(); ++r) {
    if (!lost_[static_cast<size_t>(r)]) transport_->send(r, message);
  }
}

void Cluster::jobStarted(int jobId, const std::string& callSite,
                         const std::vector<std::string>& lineage) {
  std::unique_lock lock(mutex_);
  ackJob_ = jobId;
  acks_.assign(cores_.size(), -1);
  refusal_.clear();
  lock.unlock();
  toExecutors(detail::encode(msg::JobStartMessage{jobId, callSite, lineage}));
  lock.lock();
  // No timeout: an executor may still be busy in main() before the action.
  changed_.wait(lock, [this] {
    for (size_t r = 1; r < acks_.size(); ++r)
      if (acks_[r] < 0 && !lost_[r]) return false;
    return true;
  });
  if (!refusal_.empty()) throw Error(refusal_);
  std::vector<bool> participants(acks_.size(), true);
  for (size_t r = 1; r < acks_.size(); ++r) participants[r] = acks_[r] == kTakesPart;
  driver_->setParticipants(std::move(participants));
}

void Cluster::shuffleRemoved(int shuffleId) {
  {
    std::lock_guard lock(mutex_);
    if (finished_) return;
  }
  toExecutors(detail::encode(msg::RemoveShuffleMessage{shuffleId}));
}

void Cluster::jobEnded(int jobId, bool succeeded, const std::string& error,
                       const std::vector<std::string>& results,
                       const AccumulatorUpdates::Map& accumulators) {
  // Before the job's end, which an executor's main() waits for: its
  // storage queries after the action then see this state.
  if (auto hooks = storageHooks(); hooks.snapshot)
    toExecutors(detail::encode(msg::StorageStatusMessage{hooks.snapshot()}));
  toExecutors(detail::encode(msg::JobEndMessage{jobId, succeeded, error, results, accumulators}));
}

void Cluster::publishBroadcast(int64_t id, const std::string& bytes) {
  toExecutors(detail::encode(msg::BroadcastMessage{id, bytes}));
}

void Cluster::awaitDriver(std::unique_lock<std::mutex>& lock, const std::function<bool()>& ready,
                          const std::string& what) {
  if (changed_.wait_for(lock, options_.timeout, [&] { return ready() || lost_[0]; }) && ready())
    return;
  throw NetError("rank " + std::to_string(rank()) + " waited for " + what +
                 " in vain; the driver's output says whether it stopped first");
}

std::string Cluster::awaitBroadcast(int64_t id) {
  std::unique_lock lock(mutex_);
  awaitDriver(
      lock, [&] { return broadcasts_.contains(id); },
      "the driver's value of broadcast " + std::to_string(id) +
          " (every process must call broadcast() in the same order)");
  std::string bytes = std::move(broadcasts_.at(id));
  broadcasts_.erase(id);
  return bytes;
}

void Cluster::serveStorage(StorageHooks hooks) {
  std::lock_guard lock(mutex_);
  storage_ = std::move(hooks);
}

Cluster::StorageHooks Cluster::storageHooks() {
  std::lock_guard lock(mutex_);
  return storage_;
}

void Cluster::rddRemoved(int rddId, bool blocking) {
  std::unique_lock lock(mutex_);
  if (finished_) return;
  removalAcks_[rddId].assign(cores_.size(), 0);
  lock.unlock();
  toExecutors(detail::encode(msg::RemoveRddMessage{rddId, blocking}));
  if (blocking) {
    awaitExecutors([&](size_t r) { return removalAcks_[rddId][r] != 0; },
                   "dropped the blocks of RDD " + std::to_string(rddId));
  }
  lock.lock();
  removalAcks_.erase(rddId);
}

void Cluster::reportBlock(const BlockId& id, const StorageLevel& level, int64_t memSize,
                          int64_t diskSize) {
  transport_->send(0, detail::encode(msg::BlockStatusMessage{id, level, memSize, diskSize}));
}

RddBlockStatus Cluster::statusAfterLastJob(int rddId) {
  std::lock_guard lock(mutex_);
  const auto it = storageStatus_.find(rddId);
  return it == storageStatus_.end() ? RddBlockStatus{} : it->second;
}

void Cluster::forgetStatus(int rddId) {
  std::lock_guard lock(mutex_);
  storageStatus_.erase(rddId);
}

void Cluster::abandon(const std::string& why) {
  transport_->stop();
  for (int r = 0; r < size(); ++r)
    if (r != rank()) onPeerLost(r, why);
}

void Cluster::finish() {
  {
    std::lock_guard lock(mutex_);
    if (finished_) return;
    finished_ = true;
  }
  if (isDriver()) {
    toExecutors(detail::encode(msg::ShutdownMessage{}));
    try {
      awaitExecutors([this](size_t r) { return byes_[r] != 0; }, "said goodbye");
    } catch (const NetError& e) {
      log_(e.what());
    }
  } else {
    executor_->finish();
  }
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (heartbeat_.joinable()) heartbeat_.join();
  transport_->stop();
}

void Cluster::heartbeatLoop() {
  const int64_t timeout = std::chrono::nanoseconds(options_.timeout).count();
  std::unique_lock lock(mutex_);
  while (!changed_.wait_for(lock, options_.heartbeatInterval, [this] { return stopping_; })) {
    lock.unlock();
    const int64_t now = nowNanos();
    // The driver watches every executor; an executor only the driver.
    for (int r = 0; r < (isDriver() ? size() : 1); ++r) {
      const auto peer = static_cast<size_t>(r);
      if (r == rank() || lost_[peer]) continue;
      transport_->send(r, detail::encode(msg::HeartbeatMessage{}));
      if (now - lastHeard_[peer] > timeout) {
        const std::string why = "rank " + std::to_string(r) + " sent nothing, not even a " +
                                "heartbeat, for " + seconds(options_.timeout) +
                                " (ember.network.timeout): it is hung or unreachable";
        log_(why);
        onPeerLost(r, why);
      }
    }
    lock.lock();
  }
}

void Cluster::onMessage(int from, net::Message message) {
  const auto peer = static_cast<size_t>(from);
  if (lost_[peer]) return;  // declared lost: its tasks are already retried elsewhere
  lastHeard_[peer] = nowNanos();
  const uint32_t type = message.type;
  try {
    handle(from, std::move(message));
  } catch (const std::exception& e) {
    // A peer that sends what this process cannot read runs another
    // protocol or is broken: trusting its later messages could corrupt the job.
    const std::string why = "rank " + std::to_string(from) + " sent a message of type " +
                            std::to_string(type) + " that could not be read: " + e.what();
    log_(why);
    onPeerLost(from, why);
  }
}

template <class M>
void Cluster::receive(int from, const net::Message& message) {
  on(from, detail::decode<M>(message));
}

void Cluster::handle(int from, net::Message message) {
  if (transfer_.handle(from, message)) return;
  using Type = msg::MessageType;
  switch (static_cast<Type>(message.type)) {
    case Type::kExecutorHello:
      return receive<msg::HelloMessage>(from, message);
    case Type::kBye:
      return receive<msg::ByeMessage>(from, message);
    case Type::kTaskEnd:
      return receive<msg::TaskEndMessage>(from, message);
    case Type::kJobAck:
      return receive<msg::JobAckMessage>(from, message);
    case Type::kBroadcast:
      return receive<msg::BroadcastMessage>(from, message);
    case Type::kBlockStatus:
      return receive<msg::BlockStatusMessage>(from, message);
    case Type::kRemoveRdd:
      return receive<msg::RemoveRddMessage>(from, message);
    case Type::kRemoveRddAck:
      return receive<msg::RemoveRddAckMessage>(from, message);
    case Type::kStorageStatus:
      return receive<msg::StorageStatusMessage>(from, message);
    case Type::kRemoveShuffle:
      return receive<msg::RemoveShuffleMessage>(from, message);
    case Type::kHeartbeat:
      return;  // onMessage noted that the peer is alive
    default:   // the executor's part of the protocol
      if (executor_) executor_->deliver(std::move(message));
  }
}

void Cluster::on(int from, msg::HelloMessage hello) {
  std::lock_guard lock(mutex_);
  if (isDriver()) {
    cores_[static_cast<size_t>(from)] = std::max(hello.cores, 1);
  } else {  // the driver's welcome
    totalCores_ = std::max(hello.cores, 1);
    runId_ = std::move(hello.runId);
  }
  changed_.notify_all();
}

void Cluster::on(int from, msg::ByeMessage) {
  std::lock_guard lock(mutex_);
  byes_[static_cast<size_t>(from)] = 1;
  changed_.notify_all();
}

void Cluster::on(int from, msg::TaskEndMessage end) {
  if (auto* driver = driverReady_.load(std::memory_order_acquire))
    driver->taskEnded(from, std::move(end));
}

void Cluster::on(int from, msg::JobAckMessage ack) {
  std::lock_guard lock(mutex_);
  if (ack.jobId != ackJob_) return;
  acks_[static_cast<size_t>(from)] = ack.role;
  if (ack.role == kRefuses && refusal_.empty()) refusal_ = std::move(ack.why);
  changed_.notify_all();
}

void Cluster::on(int, msg::BroadcastMessage broadcast) {
  std::lock_guard lock(mutex_);
  broadcasts_[broadcast.id] = std::move(broadcast.bytes);
  changed_.notify_all();
}

void Cluster::on(int from, msg::BlockStatusMessage block) {
  if (auto hooks = storageHooks(); hooks.onBlockReport)
    hooks.onBlockReport(from, block.id, block.level, block.memSize, block.diskSize);
}

void Cluster::on(int from, msg::RemoveRddMessage remove) {
  if (auto hooks = storageHooks(); hooks.removeRdd) hooks.removeRdd(remove.rddId);
  if (remove.blocking)
    transport_->send(from, detail::encode(msg::RemoveRddAckMessage{remove.rddId}));
}

void Cluster::on(int from, msg::RemoveRddAckMessage ack) {
  std::lock_guard lock(mutex_);
  if (auto it = removalAcks_.find(ack.rddId); it != removalAcks_.end())
    it->second[static_cast<size_t>(from)] = 1;
  changed_.notify_all();
}

void Cluster::on(int, msg::StorageStatusMessage status) {
  std::lock_guard lock(mutex_);
  storageStatus_ = std::move(status.status);
}

void Cluster::on(int, msg::RemoveShuffleMessage remove) {
  shuffles_.unregisterShuffle(remove.shuffleId);
}

void Cluster::onPeerLost(int rank, const std::string& why) {
  {
    std::lock_guard lock(mutex_);
    // The transport and the heartbeat watch may both notice.
    if (lost_[static_cast<size_t>(rank)].exchange(1)) return;
    changed_.notify_all();
  }
  transfer_.peerLost(rank, why);
  if (auto* driver = driverReady_.load(std::memory_order_acquire)) {
    driver->executorLost(rank, why);
  } else if (executor_ && rank == 0) {
    executor_->driverLost(why);
  }
}

}  // namespace ember

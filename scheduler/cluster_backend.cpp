#include "scheduler/cluster_backend.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <numeric>

#include "common/error.hpp"
#include "storage/detail/wire_message.hpp"
#include "storage/remote_map_output.hpp"

namespace ember {

std::string executorName(int rank) { return rank == 0 ? "driver" : std::to_string(rank); }

ClusterBackend::ClusterBackend(net::Transport& transport, ShuffleStore& shuffles,
                               std::vector<int> coresPerRank, int maxTaskAttempts,
                               std::chrono::milliseconds localityWait, Log log)
    : transport_(transport),
      shuffles_(shuffles),
      cores_(std::move(coresPerRank)),
      free_(cores_),
      alive_(cores_.size(), true),
      participants_(cores_.size(), true),
      maxTaskAttempts_(maxTaskAttempts),
      localityWait_(localityWait),
      log_(std::move(log)),
      local_(cores_.at(0), executorName(0)) {}

int ClusterBackend::defaultParallelism() const {
  return std::accumulate(cores_.begin(), cores_.end(), 0);
}

int ClusterBackend::mostFree(const std::vector<int>& ranks) const {
  int best = -1;
  for (int r : ranks) {
    if (usable(r) && free_[r] > 0 && (best < 0 || free_[r] > free_[best])) best = r;
  }
  return best;
}

std::vector<int> ClusterBackend::preferredRanks(const TaskSpec& spec,
                                                const Planned& planned) const {
  std::vector<int> ranks;
  for (const BlockId& block : spec.cachedInputs) {
    if (locate_) {
      for (int r : locate_(block)) ranks.push_back(r);
    }
    if (auto it = planned.find(block); it != planned.end()) ranks.push_back(it->second);
  }
  std::erase_if(ranks, [this](int r) { return !usable(r); });
  return ranks;
}

int ClusterBackend::pickRank(const TaskSpec& spec, const Planned& planned,
                             bool localityWaitOver) const {
  std::vector<int> candidates(cores_.size());
  std::iota(candidates.begin(), candidates.end(), 0);
  // A retry goes where the task has not failed yet, while such a place exists.
  auto failedThere = [&spec](int r) {
    return !spec.failedOn.empty() && std::find(spec.failedOn.begin(), spec.failedOn.end(),
                                               executorName(r)) != spec.failedOn.end();
  };
  if (std::any_of(candidates.begin(), candidates.end(),
                  [&](int r) { return usable(r) && !failedThere(r); }))
    std::erase_if(candidates, failedThere);
  std::vector<int> preferred = preferredRanks(spec, planned);
  std::erase_if(preferred, failedThere);
  const int best = mostFree(preferred);
  if (best >= 0 || (!preferred.empty() && !localityWaitOver)) return best;
  return mostFree(candidates);
}

void ClusterBackend::launch(const TaskSpec& spec, int rank) {
  --free_[rank];
  if (rank == 0) {
    const int64_t id = spec.info.taskId;
    local_.submit(spec, [this, id](TaskOutcome outcome) {
      events_.push(LocalEnded{id, std::move(outcome)});
    });
    return;
  }
  const TaskInfo& t = spec.info;
  transport_.send(
      rank, detail::encodeMessage(detail::WireType::kRunTask, spec.jobId, t.taskId, t.stageId,
                                  t.stageAttempt, t.partition, t.attemptNumber, spec.shuffleId));
}

/// The bookkeeping of one runTasks call.
class ClusterBackend::TaskSet {
 public:
  TaskSet(ClusterBackend& backend, const std::function<bool(const TaskOutcome&)>& onEnd)
      : b_(backend), onEnd_(onEnd) {}

  std::map<int64_t, Running> running;
  bool stopped = false;

  void operator()(Ended& e) {
    auto it = running.find(e.end.taskId);
    if (it == running.end()) return;  // of a task set that ended already
    const TaskSpec& spec = *it->second.spec;
    TaskOutcome outcome{&spec,        spec.info, e.end.metrics, nullptr, e.end.errorText,
                        std::nullopt, {}};
    outcome.info.executorId = executorName(e.rank);
    outcome.accumulatorUpdates = AccumulatorUpdates(std::move(e.end.accumulators));
    if (!e.end.succeeded && e.end.fetchShuffle >= 0) {
      outcome.error = std::make_exception_ptr(
          FetchFailed(e.end.errorText, e.end.fetchShuffle, e.end.fetchMap, e.end.fetchRank));
    } else if (!e.end.succeeded) {
      outcome.error = std::make_exception_ptr(Error(e.end.errorText));
    } else if (spec.shuffleId >= 0) {
      b_.shuffles_.putMapOutput(
          spec.shuffleId, spec.info.partition,
          std::make_shared<RemoteMapOutput>(e.rank, std::move(e.end.bucketBytes),
                                            std::move(e.end.bucketRecords)));
    } else {
      outcome.result = std::move(e.end.result);
    }
    finish(it, outcome);
  }

  void operator()(LocalEnded& e) {
    auto it = running.find(e.taskId);
    if (it == running.end()) return;
    e.outcome.spec = it->second.spec;
    finish(it, e.outcome);
  }

  void operator()(Lost& e) {
    if (!b_.alive_[e.rank]) return;
    b_.alive_[e.rank] = false;
    const int outputs = b_.shuffles_.removeOutputsAt(e.rank);
    b_.log_("executor " + executorName(e.rank) + " lost: " + e.why + "; its " +
            std::to_string(outputs) +
            " map outputs are unregistered, to be recomputed when needed");
    if (b_.onLost_) b_.onLost_(e.rank);
    for (auto it = running.begin(); it != running.end();) {
      auto next = std::next(it);
      if (it->second.rank == e.rank) {
        const TaskSpec& spec = *it->second.spec;
        TaskOutcome outcome{&spec, spec.info, {}, nullptr, "", std::nullopt, {}};
        outcome.info.executorId = executorName(e.rank);
        outcome.errorText = "ExecutorLostFailure: executor " + executorName(e.rank) +
                            " exited while running the task: " + e.why;
        outcome.error = std::make_exception_ptr(NetError(outcome.errorText));
        outcome.countsAsFailure = false;
        finish(it, outcome);
      }
      it = next;
    }
  }

 private:
  void finish(std::map<int64_t, Running>::iterator it, const TaskOutcome& outcome) {
    ++b_.free_[it->second.rank];
    running.erase(it);
    if (!stopped && !onEnd_(outcome)) stopped = true;
  }

  ClusterBackend& b_;
  const std::function<bool(const TaskOutcome&)>& onEnd_;
};

void ClusterBackend::runTasks(std::span<const TaskSpec> tasks,
                              const std::function<void(const TaskInfo&)>& onStart,
                              const std::function<bool(const TaskOutcome&)>& onEnd) {
  std::deque<const TaskSpec*> pending;
  for (const TaskSpec& spec : tasks) pending.push_back(&spec);
  TaskSet set(*this, onEnd);
  Planned planned;
  const auto localityDeadline = std::chrono::steady_clock::now() + localityWait_;
  for (;;) {
    const bool waitOver = std::chrono::steady_clock::now() >= localityDeadline;
    for (auto it = pending.begin(); !set.stopped && it != pending.end();) {
      const int rank = pickRank(**it, planned, waitOver);
      if (rank < 0) {
        ++it;
        continue;
      }
      // The blocks no process holds yet are computed there: later tasks
      // reading them follow.
      for (const BlockId& block : (*it)->cachedInputs) planned.emplace(block, rank);
      TaskInfo info = (*it)->info;
      info.executorId = executorName(rank);
      onStart(info);
      set.running[info.taskId] = {*it, rank};
      launch(**it, rank);
      it = pending.erase(it);
    }
    if (set.running.empty() && (pending.empty() || set.stopped)) break;
    if (waitOver || pending.empty() || set.stopped) {
      Event event = events_.pop();
      std::visit(set, event);
    } else if (auto event =
                   events_.popFor(std::chrono::duration_cast<std::chrono::milliseconds>(
                                      localityDeadline - std::chrono::steady_clock::now()) +
                                  std::chrono::milliseconds(1))) {
      std::visit(set, *event);
    }
  }
}

}  // namespace ember

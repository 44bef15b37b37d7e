#include "scheduler/cluster_backend.hpp"

#include <deque>
#include <map>
#include <numeric>

#include "common/error.hpp"
#include "storage/detail/wire_message.hpp"
#include "storage/remote_map_output.hpp"

namespace ember {

std::string executorName(int rank) { return rank == 0 ? "driver" : std::to_string(rank); }

ClusterBackend::ClusterBackend(net::Transport& transport, ShuffleStore& shuffles,
                               std::vector<int> coresPerRank, int maxTaskAttempts, Log log)
    : transport_(transport),
      shuffles_(shuffles),
      cores_(std::move(coresPerRank)),
      free_(cores_),
      alive_(cores_.size(), true),
      participants_(cores_.size(), true),
      maxTaskAttempts_(maxTaskAttempts),
      log_(std::move(log)),
      local_(cores_.at(0), executorName(0)) {}

int ClusterBackend::defaultParallelism() const {
  return std::accumulate(cores_.begin(), cores_.end(), 0);
}

int ClusterBackend::pickRank(const TaskSpec& spec) const {
  auto usable = [this](size_t r) { return alive_[r] && participants_[r]; };
  const int preferred = spec.info.partition % static_cast<int>(cores_.size());
  if (usable(preferred) && free_[preferred] > 0) return preferred;
  if (spec.cacheLocal && usable(preferred)) return -1;
  int best = -1;
  for (size_t r = 0; r < free_.size(); ++r) {
    if (usable(r) && free_[r] > 0 && (best < 0 || free_[r] > free_[best]))
      best = static_cast<int>(r);
  }
  return best;
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
    if (!e.end.succeeded) {
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
    b_.log_("executor " + executorName(e.rank) + " lost: " + e.why);
    for (auto it = running.begin(); it != running.end();) {
      auto next = std::next(it);
      if (it->second.rank == e.rank) {
        const TaskSpec& spec = *it->second.spec;
        TaskOutcome outcome{&spec, spec.info, {}, nullptr, "", std::nullopt, {}};
        outcome.info.executorId = executorName(e.rank);
        outcome.errorText = "ExecutorLostFailure: executor " + executorName(e.rank) +
                            " exited while running the task: " + e.why;
        outcome.error = std::make_exception_ptr(NetError(outcome.errorText));
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
  for (;;) {
    for (auto it = pending.begin(); !set.stopped && it != pending.end();) {
      const int rank = pickRank(**it);
      if (rank < 0) {
        ++it;
        continue;
      }
      TaskInfo info = (*it)->info;
      info.executorId = executorName(rank);
      onStart(info);
      set.running[info.taskId] = {*it, rank};
      launch(**it, rank);
      it = pending.erase(it);
    }
    if (set.running.empty()) break;
    Event event = events_.pop();
    std::visit(set, event);
  }
}

}  // namespace ember

#include "scheduler/cluster_backend.hpp"

#include <algorithm>
#include <cstdio>
#include <deque>
#include <list>
#include <map>
#include <numeric>
#include <optional>

#include "common/error.hpp"

namespace ember {

std::string executorName(int rank) { return rank == 0 ? "driver" : std::to_string(rank); }

ClusterBackend::ClusterBackend(net::Transport& transport, MapOutputTracker& mapOutputs,
                               std::vector<int> coresPerRank, Options options, Log log)
    : transport_(transport),
      mapOutputs_(mapOutputs),
      cores_(std::move(coresPerRank)),
      free_(cores_),
      alive_(cores_.size(), true),
      participants_(cores_.size(), true),
      options_(options),
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
      rank, detail::encode(detail::RunTaskMessage{spec.jobId, t.taskId, t.stageId, t.stageAttempt,
                                                  t.partition, t.attemptNumber, spec.shuffleId}));
}

void ClusterBackend::kill(int64_t taskId, int rank) {
  if (rank == 0) {
    local_.kill(taskId);
  } else {
    transport_.send(rank, detail::encode(detail::KillTaskMessage{taskId}));
  }
}

/// The bookkeeping of one runTasks call.
class ClusterBackend::TaskSet {
 public:
  TaskSet(ClusterBackend& backend, size_t size, const std::function<void(const TaskInfo&)>& onStart,
          const std::function<bool(const TaskOutcome&)>& onEnd)
      : b_(backend), size_(size), onStart_(onStart), onEnd_(onEnd) {}

  std::map<int64_t, Running> running;
  bool stopped = false;

  void start(const TaskSpec& spec, int rank) {
    TaskInfo info = spec.info;
    info.executorId = executorName(rank);
    onStart_(info);
    running[info.taskId] = {&spec, rank, std::chrono::steady_clock::now()};
    ++partitions_[info.partition].running;
    b_.launch(spec, rank);
  }

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
      // A copy finishing second keeps the first one's output registered.
      if (!partitions_[spec.info.partition].done)
        b_.mapOutputs_.registerRemote(spec.shuffleId, spec.info.partition, e.rank,
                                      std::move(e.end.mapStatus));
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
    const int outputs = b_.mapOutputs_.unregisterAt(e.rank);
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

  /// Starts a copy of each task that runs much longer than the finished
  /// ones of the set, in another process with a free slot (Spark's
  /// TaskSetManager.checkSpeculatableTasks).
  void speculate() {
    const auto median = medianSuccess();
    if (!median) return;
    const Speculation& s = b_.options_.speculation;
    const auto threshold = std::max<std::chrono::nanoseconds>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(*median * s.multiplier),
        s.minTaskRuntime);
    const auto now = std::chrono::steady_clock::now();
    std::vector<Running> slow;
    for (const auto& [id, r] : running) {
      const Partition& part = partitions_[r.spec->info.partition];
      if (!r.killed && !part.copied && !part.done && now - r.started > threshold) slow.push_back(r);
    }
    for (const Running& r : slow) {
      std::vector<int> others;
      for (int rank = 0; rank < static_cast<int>(b_.cores_.size()); ++rank)
        if (rank != r.rank) others.push_back(rank);
      const int rank = b_.mostFree(others);
      if (rank < 0) continue;
      const TaskSpec& copy = copyOf(*r.spec);
      b_.log_("task " + attemptName(r.spec->info) + " (TID " + std::to_string(r.spec->info.taskId) +
              ") has run " + seconds(now - r.started) + " on executor " + executorName(r.rank) +
              ", longer than " + seconds(threshold) + " (ember.speculation.multiplier times the " +
              "median " + seconds(*median) + " of " + std::to_string(finished_.size()) +
              " finished tasks, and at least ember.speculation.minTaskRuntime): starting a " +
              "speculative copy, TID " + std::to_string(copy.info.taskId) + ", on executor " +
              executorName(rank));
      start(copy, rank);
    }
  }

 private:
  struct Partition {
    int running = 0;      ///< attempts running
    bool done = false;    ///< one attempt succeeded: it counts
    bool copied = false;  ///< a speculative copy was started
  };

  /// The median duration of the set's successes, once `quantile` of the set succeeded.
  std::optional<std::chrono::nanoseconds> medianSuccess() const {
    const double quantile = b_.options_.speculation.quantile;
    const auto needed = std::max<size_t>(1, static_cast<size_t>(quantile * double(size_)));
    if (finished_.size() < needed) return std::nullopt;
    std::vector<std::chrono::nanoseconds> durations = finished_;
    auto middle = durations.begin() + static_cast<std::ptrdiff_t>(durations.size() / 2);
    std::nth_element(durations.begin(), middle, durations.end());
    return *middle;
  }

  /// A speculative copy of `spec`: a new TID and the next attempt number.
  const TaskSpec& copyOf(const TaskSpec& spec) {
    partitions_[spec.info.partition].copied = true;
    TaskSpec& copy = copies_.emplace_back(spec);
    copy.info.taskId = b_.newTaskId_();
    copy.info.attemptNumber = spec.info.attemptNumber + 1;
    copy.info.speculative = true;
    return copy;
  }

  static std::string attemptName(const TaskInfo& t) {
    return std::to_string(t.partition) + "." + std::to_string(t.attemptNumber) + " in stage " +
           std::to_string(t.stageId) + "." + std::to_string(t.stageAttempt);
  }
  static std::string seconds(std::chrono::nanoseconds d) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3f s", std::chrono::duration<double>(d).count());
    return text;
  }

  void finish(std::map<int64_t, Running>::iterator it, TaskOutcome& outcome) {
    const Running ended = it->second;
    ++b_.free_[ended.rank];
    running.erase(it);
    Partition& part = partitions_[outcome.info.partition];
    --part.running;
    if (part.done) {
      superseded(outcome);
    } else if (!outcome.error) {
      part.done = true;
      finished_.push_back(std::chrono::steady_clock::now() - ended.started);
      killOthers(outcome.info);
    } else {
      outcome.anotherAttemptRunning = part.running > 0;
    }
    if (!stopped && !onEnd_(outcome)) stopped = true;
  }

  /// An attempt that ended after another of its partition succeeded: it
  /// counts for nothing, whatever it did.
  static void superseded(TaskOutcome& outcome) {
    outcome.killed = true;
    outcome.result.reset();
    outcome.accumulatorUpdates = AccumulatorUpdates();
    if (outcome.error) return;
    outcome.errorText = "TaskKilled: another attempt of partition " +
                        std::to_string(outcome.info.partition) + " finished first";
    outcome.error = std::make_exception_ptr(TaskKilled(outcome.errorText));
  }

  void killOthers(const TaskInfo& winner) {
    for (auto& [id, r] : running) {
      if (r.spec->info.partition != winner.partition || r.killed) continue;
      r.killed = true;
      b_.log_("killing task " + attemptName(r.spec->info) + " (TID " + std::to_string(id) +
              ") on executor " + executorName(r.rank) + ": attempt " +
              std::to_string(winner.attemptNumber) + " (TID " + std::to_string(winner.taskId) +
              ") on executor " + winner.executorId + " finished first");
      b_.kill(id, r.rank);
    }
  }

  ClusterBackend& b_;
  size_t size_;  ///< tasks in the set, copies not counted
  const std::function<void(const TaskInfo&)>& onStart_;
  const std::function<bool(const TaskOutcome&)>& onEnd_;
  std::map<int, Partition> partitions_;
  std::vector<std::chrono::nanoseconds> finished_;  ///< durations of the successes
  std::deque<TaskSpec> copies_;                     ///< the speculative ones
};

/// The tasks of a set not started yet, grouped by the process each prefers
/// (Spark's TaskSetManager's pending lists), so that starting a task costs
/// about the number of processes, not the number of tasks: free slots are
/// matched to the tasks that prefer their process, then to those that
/// prefer none, then (once the locality wait is over) to any. Retries,
/// which must avoid the processes they failed on, are few and are placed
/// one by one.
class ClusterBackend::PendingTasks {
 public:
  PendingTasks(ClusterBackend& backend, std::span<const TaskSpec> tasks)
      : b_(backend), tasks_(tasks), state_(tasks.size(), kAnywhere), byRank_(b_.cores_.size()) {
    for (size_t i = 0; i < tasks.size(); ++i) {
      for (const BlockId& block : tasks[i].cachedInputs) readers_[block].push_back(i);
      if (!tasks[i].failedOn.empty()) {
        state_[i] = kRetry;
        retries_.push_back(i);
        continue;
      }
      const std::vector<int> preferred = b_.preferredRanks(tasks[i], planned_);
      if (preferred.empty()) {
        anywhere_.push_back(i);
      } else {
        prefer(i, preferred);
      }
    }
    left_ = tasks.size();
  }

  bool empty() const { return left_ == 0; }

  /// Starts tasks until no slot is free or no task may take one.
  void startAll(TaskSet& set, bool waitOver) {
    startRetries(set, waitOver);
    std::vector<bool> full(b_.cores_.size(), false);
    while (left_ > 0) {
      const int rank = freestRank(full);
      if (rank < 0) return;
      std::optional<size_t> next = take(byRank_[static_cast<size_t>(rank)], true);
      if (!next) next = take(anywhere_, false);
      if (!next && waitOver) next = take(preferring_, true);
      if (!next) {
        full[static_cast<size_t>(rank)] = true;  // nothing for it in this round
        continue;
      }
      start(set, *next, rank);
    }
  }

  /// The tasks that preferred `rank` may run anywhere now.
  void rankLost(int rank) {
    for (const size_t i : byRank_[static_cast<size_t>(rank)]) {
      if (state_[i] != kPreferring) continue;
      state_[i] = kAnywhere;
      anywhere_.push_back(i);
    }
    byRank_[static_cast<size_t>(rank)].clear();
  }

 private:
  enum State : uint8_t { kAnywhere, kPreferring, kRetry, kStarted };

  void prefer(size_t i, const std::vector<int>& ranks) {
    state_[i] = kPreferring;
    for (const int r : ranks) byRank_[static_cast<size_t>(r)].push_back(i);
    preferring_.push_back(i);
  }

  /// The usable rank with the most free slots, not marked full; -1 if none.
  int freestRank(const std::vector<bool>& full) const {
    int best = -1;
    for (int r = 0; r < static_cast<int>(full.size()); ++r) {
      if (full[static_cast<size_t>(r)] || !b_.usable(r) || b_.free_[r] <= 0) continue;
      if (best < 0 || b_.free_[r] > b_.free_[best]) best = r;
    }
    return best;
  }

  /// The first task of `queue` that may still start from it: one not
  /// started, and (unless `preferringToo`) not waiting for its process.
  /// Entries of tasks that started from another queue are dropped.
  std::optional<size_t> take(std::deque<size_t>& queue, bool preferringToo) {
    while (!queue.empty()) {
      const size_t i = queue.front();
      queue.pop_front();
      if (state_[i] == kAnywhere || (preferringToo && state_[i] == kPreferring)) return i;
    }
    return std::nullopt;
  }

  void startRetries(TaskSet& set, bool waitOver) {
    for (auto it = retries_.begin(); !set.stopped && it != retries_.end();) {
      const int rank = b_.pickRank(tasks_[*it], planned_, waitOver);
      if (rank < 0) {
        ++it;
        continue;
      }
      start(set, *it, rank);
      it = retries_.erase(it);
    }
  }

  void start(TaskSet& set, size_t i, int rank) {
    state_[i] = kStarted;
    --left_;
    // The blocks no process holds yet are computed there: the tasks
    // reading them follow, and wait for it as for a process holding them.
    for (const BlockId& block : tasks_[i].cachedInputs) {
      if (!planned_.emplace(block, rank).second) continue;
      for (const size_t j : readers_[block]) {
        if (state_[j] == kStarted || state_[j] == kRetry) continue;
        if (state_[j] == kAnywhere) {
          state_[j] = kPreferring;
          preferring_.push_back(j);
        }
        byRank_[static_cast<size_t>(rank)].push_back(j);
      }
    }
    set.start(tasks_[i], rank);
  }

  ClusterBackend& b_;
  std::span<const TaskSpec> tasks_;
  std::vector<State> state_;
  std::vector<std::deque<size_t>> byRank_;  ///< tasks preferring each rank
  std::deque<size_t> anywhere_;             ///< tasks preferring none
  std::deque<size_t> preferring_;           ///< tasks preferring some, for after the wait
  std::list<size_t> retries_;
  std::map<BlockId, std::vector<size_t>> readers_;  ///< the tasks reading each cached block
  Planned planned_;
  size_t left_ = 0;
};

void ClusterBackend::runTasks(std::span<const TaskSpec> tasks,
                              const std::function<void(const TaskInfo&)>& onStart,
                              const std::function<bool(const TaskOutcome&)>& onEnd) {
  TaskSet set(*this, tasks.size(), onStart, onEnd);
  PendingTasks pending(*this, tasks);
  const auto localityDeadline = std::chrono::steady_clock::now() + options_.localityWait;
  const bool speculating = options_.speculation.enabled && newTaskId_ && cores_.size() > 1;
  auto nextSpeculation = std::chrono::steady_clock::now();
  for (;;) {
    const auto now = std::chrono::steady_clock::now();
    const bool waitOver = now >= localityDeadline;
    if (!set.stopped) pending.startAll(set, waitOver);
    // Copies only once every task has a slot, as Spark gives them the
    // lowest priority; checked once an interval, as each check sorts the
    // durations of the set's successes.
    if (speculating && pending.empty() && !set.stopped && now >= nextSpeculation) {
      set.speculate();
      nextSpeculation = now + options_.speculation.interval;
    }
    if (set.running.empty() && (pending.empty() || set.stopped)) break;
    std::optional<std::chrono::milliseconds> wait;
    if (!waitOver && !pending.empty() && !set.stopped)
      wait = std::chrono::duration_cast<std::chrono::milliseconds>(localityDeadline - now) +
             std::chrono::milliseconds(1);
    if (speculating && !set.stopped)
      wait = std::min(wait.value_or(options_.speculation.interval), options_.speculation.interval);
    std::optional<Event> event;
    if (!wait) {
      event = events_.pop();
    } else {
      event = events_.popFor(*wait);
    }
    if (!event) continue;
    if (const Lost* lost = std::get_if<Lost>(&*event)) pending.rankLost(lost->rank);
    std::visit(set, *event);
  }
}

}  // namespace ember

#include "scheduler/executor_backend.hpp"

#include <map>
#include <set>

#include "common/error.hpp"
#include "scheduler/cluster_backend.hpp"
#include "scheduler/detail/protocol.hpp"
#include "scheduler/lineage_signature.hpp"
#include "scheduler/local_backend.hpp"

namespace ember {
namespace {

using Type = detail::MessageType;

Type typeOf(const net::Message& m) { return static_cast<Type>(m.type); }

using ShuffleDeps = std::map<int, std::shared_ptr<ShuffleDependencyBase>>;

void collectShuffles(const std::shared_ptr<RddNode>& rdd, std::set<int>& seen, ShuffleDeps& out) {
  if (!seen.insert(rdd->id()).second) return;
  for (const Dependency& dep : rdd->dependencies()) {
    if (dep.shuffle) out[dep.shuffle->shuffleId()] = dep.shuffle;
    collectShuffles(dep.rdd, seen, out);
  }
}

}  // namespace

struct ExecutorBackend::Job {
  int id = 0;
  const ResultTask* result = nullptr;
  ShuffleDeps shuffles;
};

ExecutorBackend::ExecutorBackend(net::Transport& transport, ShuffleStore& shuffles,
                                 MapOutputTracker& mapOutputs, int cores)
    : transport_(transport),
      shuffles_(shuffles),
      mapOutputs_(mapOutputs),
      runner_(cores, executorName(transport.rank())) {}

net::Message ExecutorBackend::next(const char* waitingFor) {
  Inbox in = inbox_.pop();
  if (in.message) return std::move(*in.message);
  inbox_.push(in);  // every later wait, finish()'s too, sees the loss
  throw NetError("the driver (rank 0) went away while rank " + std::to_string(transport_.rank()) +
                 " was " + waitingFor + ": " + in.why +
                 "; the driver's output says why it stopped");
}

void ExecutorBackend::acknowledge(int jobId, JobRole role, const std::string& why) {
  transport_.send(0, detail::encode(detail::JobAckMessage{jobId, static_cast<int>(role), why}));
}

AccumulatorUpdates::Map ExecutorBackend::runJob(const std::shared_ptr<RddNode>& rdd,
                                                const std::vector<int>& partitions,
                                                const ResultTask& resultTask,
                                                const std::string& callSite) {
  const std::vector<std::string> mine = lineageSignature(rdd);
  Job job;
  job.result = &resultTask;
  for (bool started = false; !started;) {
    net::Message m = next("waiting for a job");
    switch (typeOf(m)) {
      case Type::kMapStatuses:
        installMapStatuses(m);
        break;
      case Type::kShutdown:
        throw Error("the driver's main() ended while rank " + std::to_string(transport_.rank()) +
                    " ran " + callSite +
                    ": every process must run the same actions; guard only side effects such as "
                    "printing with ctx.isDriver()");
      case Type::kJobStart: {
        auto [jobId, driverCallSite, driverLineage] = detail::decode<detail::JobStartMessage>(m);
        job.id = jobId;
        if (driverCallSite != callSite) {
          // An action only the driver runs (under ctx.isDriver()): sit it out.
          acknowledge(job.id, kAbsent, "");
          break;
        }
        std::string mismatch =
            lineageMismatch(driverLineage, mine, transport_.rank(), driverCallSite, callSite);
        acknowledge(job.id, mismatch.empty() ? kTakesPart : kRefuses, mismatch);
        if (!mismatch.empty()) throw Error(mismatch);
        started = true;
        break;
      }
      default:
        break;
    }
  }
  std::set<int> seen;
  collectShuffles(rdd, seen, job.shuffles);
  // However the job ends here (its end, the driver's loss), no attempt of it
  // may outlive `job` and `resultTask`, which its closures point to.
  struct WaitForAttempts {
    TaskRunner& runner;
    ~WaitForAttempts() { runner.killAllAndWait(); }
  } waitForAttempts{runner_};
  for (;;) {
    net::Message m = next("running a job");
    switch (typeOf(m)) {
      case Type::kRunTask:
        runTask(job, m);
        break;
      case Type::kKillTask:
        runner_.kill(detail::decode<detail::KillTaskMessage>(m).taskId);
        break;
      case Type::kMapStatuses:
        installMapStatuses(m);
        break;
      case Type::kJobEnd: {
        auto end = detail::decode<detail::JobEndMessage>(m);
        if (!end.succeeded) throw JobFailed(end.error, std::make_exception_ptr(Error(end.error)));
        for (size_t i = 0; i < end.results.size() && i < partitions.size(); ++i)
          resultTask.load(partitions[i], end.results[i]);
        return std::move(end.accumulators);
      }
      default:
        break;
    }
  }
}

void ExecutorBackend::runTask(Job& job, const net::Message& message) {
  const auto run = detail::decode<detail::RunTaskMessage>(message);
  TaskSpec spec;
  TaskInfo& t = spec.info;
  spec.jobId = run.jobId;
  spec.shuffleId = run.shuffleId;
  t.taskId = run.taskId;
  t.stageId = run.stageId;
  t.stageAttempt = run.stageAttempt;
  t.partition = run.partition;
  t.attemptNumber = run.attemptNumber;
  if (spec.shuffleId >= 0) {
    auto it = job.shuffles.find(spec.shuffleId);
    std::shared_ptr<ShuffleDependencyBase> dep = it == job.shuffles.end() ? nullptr : it->second;
    spec.body = [dep, shuffleId = spec.shuffleId, p = t.partition](TaskContext& tc) {
      if (!dep) throw Error("shuffle " + std::to_string(shuffleId) + " is not in this job");
      dep->runMapTask(p, tc);
    };
  } else {
    spec.body = [result = job.result, p = t.partition](TaskContext& tc) { result->run(p, tc); };
  }
  const int shuffleId = spec.shuffleId;
  const int64_t taskId = t.taskId;
  const int p = t.partition;
  runner_.submit(
      std::move(spec), [this, result = job.result, shuffleId, taskId, p](TaskOutcome outcome) {
        detail::TaskEndMessage end;
        end.taskId = taskId;
        end.metrics = outcome.metrics;
        end.accumulators = outcome.accumulatorUpdates.byId();
        try {
          if (outcome.error) std::rethrow_exception(outcome.error);
          if (shuffleId < 0) {
            end.result = result->save(p);
          } else if (auto output = shuffles_.mapOutput(shuffleId, p)) {
            end.mapStatus = output->status();
          }
          end.succeeded = true;
        } catch (const FetchFailed& e) {
          end.errorText = outcome.errorText;
          end.fetchShuffle = e.shuffleId();
          end.fetchMap = e.mapId();
          end.fetchRank = e.rank() < 0 ? transport_.rank() : e.rank();
        } catch (...) {
          end.errorText =
              outcome.error ? outcome.errorText : describeException(std::current_exception());
        }
        transport_.send(0, detail::encode(end));
      });
}

void ExecutorBackend::installMapStatuses(const net::Message& message) {
  mapOutputs_.install(detail::decode<detail::MapStatusesMessage>(message), transport_.rank());
}

void ExecutorBackend::finish() {
  for (;;) {
    Inbox in = inbox_.pop();
    if (!in.message) return;
    switch (typeOf(*in.message)) {
      case Type::kJobStart:
        acknowledge(detail::decode<detail::JobStartMessage>(*in.message).jobId, kAbsent, "");
        break;
      case Type::kShutdown:
        transport_.send(0, detail::encode(detail::ByeMessage{}));
        // The driver closes the connections once every executor said goodbye.
        while (inbox_.popFor(std::chrono::seconds(10)).value_or(Inbox{}).message) {
        }
        return;
      default:
        break;
    }
  }
}

}  // namespace ember

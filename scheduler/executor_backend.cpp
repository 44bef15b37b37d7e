#include "scheduler/executor_backend.hpp"

#include <map>
#include <set>

#include "common/error.hpp"
#include "scheduler/cluster_backend.hpp"
#include "scheduler/lineage_signature.hpp"
#include "scheduler/local_backend.hpp"
#include "storage/detail/wire_message.hpp"
#include "storage/remote_map_output.hpp"

namespace ember {
namespace {

using detail::WireType;

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

ExecutorBackend::ExecutorBackend(net::Transport& transport, ShuffleStore& shuffles, int cores)
    : transport_(transport), shuffles_(shuffles), runner_(cores, executorName(transport.rank())) {}

net::Message ExecutorBackend::next(const char* waitingFor) {
  Inbox in = inbox_.pop();
  if (in.message) return std::move(*in.message);
  throw NetError("the driver (rank 0) went away while rank " + std::to_string(transport_.rank()) +
                 " was " + waitingFor + ": " + in.why +
                 "; the driver's output says why it stopped");
}

void ExecutorBackend::acknowledge(int jobId, JobRole role, const std::string& why) {
  transport_.send(0, detail::encodeMessage(WireType::kJobAck, jobId, static_cast<int>(role), why));
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
    switch (detail::wireType(m)) {
      case WireType::kMapStatuses:
        installMapStatuses(m);
        break;
      case WireType::kShutdown:
        throw Error("the driver's main() ended while rank " + std::to_string(transport_.rank()) +
                    " ran " + callSite +
                    ": every process must run the same actions; guard only side effects such as "
                    "printing with ctx.isDriver()");
      case WireType::kJobStart: {
        std::string driverCallSite;
        std::vector<std::string> driverLineage;
        detail::decodeMessage(m, job.id, driverCallSite, driverLineage);
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
  for (;;) {
    net::Message m = next("running a job");
    switch (detail::wireType(m)) {
      case WireType::kRunTask:
        runTask(job, m);
        break;
      case WireType::kKillTask: {
        int64_t taskId = 0;
        detail::decodeMessage(m, taskId);
        runner_.kill(taskId);
        break;
      }
      case WireType::kMapStatuses:
        installMapStatuses(m);
        break;
      case WireType::kJobEnd: {
        int id = 0;
        bool succeeded = false;
        std::string error;
        std::vector<std::string> results;
        AccumulatorUpdates::Map accumulators;
        detail::decodeMessage(m, id, succeeded, error, results, accumulators);
        if (!succeeded) throw JobFailed(error, std::make_exception_ptr(Error(error)));
        for (size_t i = 0; i < results.size() && i < partitions.size(); ++i)
          resultTask.load(partitions[i], results[i]);
        return accumulators;
      }
      default:
        break;
    }
  }
}

void ExecutorBackend::runTask(Job& job, const net::Message& message) {
  TaskSpec spec;
  TaskInfo& t = spec.info;
  detail::decodeMessage(message, spec.jobId, t.taskId, t.stageId, t.stageAttempt, t.partition,
                        t.attemptNumber, spec.shuffleId);
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
  auto m = detail::decode<detail::MapStatusesMessage>(message);
  if (m.statuses.size() != m.ranks.size())
    throw CorruptBlockError("map statuses of shuffle " + std::to_string(m.shuffleId) + ": " +
                            std::to_string(m.ranks.size()) + " ranks for " +
                            std::to_string(m.statuses.size()) + " statuses");
  for (size_t map = 0; map < m.ranks.size(); ++map) {
    if (m.ranks[map] == transport_.rank()) continue;
    try {
      shuffles_.putMapOutput(
          m.shuffleId, static_cast<int>(map),
          std::make_shared<RemoteMapOutput>(m.ranks[map], std::move(m.statuses[map])));
    } catch (const std::logic_error&) {
      return;  // not a shuffle of this process: its job will report the lineage mismatch
    }
  }
}

void ExecutorBackend::finish() {
  for (;;) {
    Inbox in = inbox_.pop();
    if (!in.message) return;
    switch (detail::wireType(*in.message)) {
      case WireType::kJobStart: {
        int id = 0;
        detail::decodeMessage(*in.message, id);
        acknowledge(id, kAbsent, "");
        break;
      }
      case WireType::kShutdown:
        transport_.send(0, detail::encodeMessage(WireType::kBye));
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

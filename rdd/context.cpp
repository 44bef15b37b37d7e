#include "rdd/context.hpp"

#include <csignal>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <iostream>
#include <string_view>

#include "common/detail/closest_match.hpp"
#include "common/error.hpp"
#include "common/master_url.hpp"
#include "common/process_group.hpp"
#include "common/run_id.hpp"
#include "rdd/detail/cluster_launch.hpp"
#include "rdd/detail/text_file_rdd.hpp"
#include "scheduler/dag_scheduler.hpp"
#include "scheduler/local_backend.hpp"
#include "scheduler/map_output_tracker.hpp"

namespace ember {
namespace detail {
namespace {

std::filesystem::path localDir(const Conf& conf) {
  std::string dir = conf.get("ember.local.dir");
  if (dir.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    dir = tmp && *tmp ? tmp : "/tmp";
  }
  return dir;
}

/// In a cluster (ember-run, mpirun, srun, local-cluster): the per-process
/// slots, then the connection to the other processes.
/// With a transport given, over it.
std::unique_ptr<Cluster> startCluster(Runtime& rt, std::unique_ptr<net::Transport> transport) {
  if (!rt.clusterEnv && rt.master.processes > 0)
    rt.clusterEnv = launchLocalCluster(rt.conf, rt.master, rt.children);
  if (!rt.clusterEnv) return nullptr;
  const int attempts = static_cast<int>(rt.conf.getInt("ember.task.maxFailures"));
  return joinCluster(*rt.clusterEnv, rt.conf, rt.cores, attempts, rt.shuffles, *rt.mapOutputs,
                     std::move(transport));
}

/// The ranks a transport joins; else the environment's (ember-run, mpirun,
/// srun, a local-cluster child), if any.
std::optional<ClusterEnv> clusterEnvOf(const net::Transport* transport) {
  if (!transport) return ClusterEnv::fromEnvironment();
  ClusterEnv env;
  env.rank = transport->rank();
  env.size = transport->size();
  return env;
}

}  // namespace

Runtime::~Runtime() = default;

void Runtime::runJob(const std::shared_ptr<RddNode>& rdd, const std::vector<int>& partitions,
                     const ResultTask& task, const std::string& callSite) {
  scheduler->runJob(rdd, partitions, task, callSite);
}

void Runtime::runJob(const std::shared_ptr<RddNode>& rdd, const std::vector<int>& partitions,
                     const std::function<void(int, TaskContext&)>& task,
                     const std::string& callSite) {
  scheduler->runJob(rdd, partitions, task, callSite);
}

void Runtime::fetchRemote(
    const std::vector<BucketRequest>& requests,
    const std::function<void(const BucketRequest&, std::string&)>& consume) const {
  cluster->transfer().fetchAll(requests, consume);
}

bool Runtime::isDriver() const { return !cluster || cluster->isDriver(); }

std::string Runtime::finish() {
  if (cluster) cluster->finish();
  if (!children) return "";
  if (cluster && cluster->lostPeers()) {
    // The jobs went on without the lost executors; one that hangs would
    // never end by itself.
    children->terminate();
    const ProcessGroup::Result result = children->wait();
    children.reset();
    if (!result.firstFailure.empty()) log("lost earlier: " + result.firstFailure);
    return "";
  }
  ProcessGroup::Result result = children->wait();
  children.reset();
  return result.firstFailure;
}

void Runtime::releaseShuffle(int shuffleId) {
  if (cluster && !cluster->isDriver()) return;
  shuffles.unregisterShuffle(shuffleId);
  if (cluster) cluster->shuffleRemoved(shuffleId);
}

std::optional<std::string> Runtime::shareBroadcast(int64_t id,
                                                   const std::function<std::string()>& bytes) {
  if (!cluster) return std::nullopt;
  if (!cluster->isDriver()) return cluster->awaitBroadcast(id);
  cluster->publishBroadcast(id, bytes());
  return std::nullopt;
}

RddBlockStatus Runtime::rddStatus(int rddId) {
  if (cluster && !cluster->isDriver()) return cluster->statusAfterLastJob(rddId);
  RddBlockStatus status = blocks.rddStatus(rddId);
  status += remoteBlocks.rddStatus(rddId);
  return status;
}

void Runtime::removeRddBlocks(int rddId, bool blocking) {
  // As with shuffles, the driver decides for every process: an executor's
  // main() may drop the RDD before a job of the driver has read it.
  if (cluster && !cluster->isDriver()) {
    cluster->forgetStatus(rddId);
    return;
  }
  blocks.removeRdd(rddId);
  if (!cluster) return;
  remoteBlocks.removeRdd(rddId);
  cluster->rddRemoved(rddId, blocking);
}

void Runtime::blockUpdated(const BlockId& id, const StorageLevel& level, int64_t memSize,
                           int64_t diskSize) {
  if (cluster && !cluster->isDriver()) cluster->reportBlock(id, level, memSize, diskSize);
  const std::string executor = cluster ? executorName(cluster->rank()) : "driver";
  bus.post(&SchedulerListener::onBlockUpdated,
           BlockUpdatedEvent{executor, id, level, memSize, diskSize});
}

void Runtime::serveStorage() {
  cluster->serveStorage({[this](int rank, const BlockId& id, const StorageLevel& level,
                                int64_t memSize, int64_t diskSize) {
                           remoteBlocks.update(rank, id, memSize, diskSize);
                           bus.post(
                               &SchedulerListener::onBlockUpdated,
                               BlockUpdatedEvent{executorName(rank), id, level, memSize, diskSize});
                         },
                         [this] {
                           std::map<int, RddBlockStatus> status;
                           for (const auto& rdd : persistentRdds.list())
                             status.emplace(rdd->id(), rddStatus(rdd->id()));
                           return status;
                         },
                         [this](int rddId) { blocks.removeRdd(rddId); }});
  if (!cluster->isDriver()) return;
  cluster->backend().setBlockLocator([this](const BlockId& id) {
    std::vector<int> ranks = remoteBlocks.holders(id);
    if (blocks.contains(id)) ranks.push_back(0);
    return ranks;
  });
  // Its cached partitions are recomputed from lineage where they are needed.
  cluster->backend().setExecutorLostHook([this](int rank) { remoteBlocks.removeExecutor(rank); });
}

Runtime::Runtime(Conf c, std::unique_ptr<net::Transport> transport)
    : conf(std::move(c)),
      master(MasterUrl::parse(conf.get("ember.master"))),
      clusterEnv(clusterEnvOf(transport.get())),
      cores(clusterEnv ? clusterCores(conf, master, *clusterEnv) : master.cores),
      batchSize(static_cast<size_t>(conf.getInt("ember.batch.size"))),
      maxPartitionBytes(conf.getBytes("ember.files.maxPartitionBytes")),
      local(std::make_unique<LocalBackend>(cores, master.maxTaskAttempts)),
      memory(std::make_unique<MemoryManager>(
          static_cast<int64_t>(static_cast<double>(conf.getBytes("ember.executor.memory")) *
                               conf.getFraction("ember.memory.fraction")),
          conf.getFraction("ember.memory.storageFraction"), cores)),
      scratch(localDir(conf)),
      spill{&scratch, conf.getBool("ember.shuffle.compress") ? Codec::kLz4 : Codec::kNone},
      mapOutputs(std::make_unique<MapOutputTracker>(shuffles)),
      cluster(startCluster(*this, std::move(transport))),
      scheduler(std::make_unique<DagScheduler>(
          cluster && cluster->isDriver() ? static_cast<TaskBackend&>(cluster->backend()) : *local,
          *mapOutputs, bus, accumulators, cluster.get(),
          [this](const std::string& line) { log(line); })),
      blocks(*memory, scratch, spill.codec,
             [this](const BlockId& id, const StorageLevel& level, int64_t memSize,
                    int64_t diskSize) { blockUpdated(id, level, memSize, diskSize); }) {
  log = processLog(clusterEnv);
  if (cluster) serveStorage();
  runId = cluster ? cluster->runId() : newRunId();
  const int slots = cluster ? cluster->totalCores() : cores;
  configuredParallelism = conf.get("ember.default.parallelism").empty()
                              ? 0
                              : static_cast<int>(conf.getInt("ember.default.parallelism"));
  defaultParallelism = configuredParallelism > 0 ? configuredParallelism : slots;
  memory->addEvictor([this](int64_t bytes) { return shuffles.evict(bytes); });
  memory->addEvictor([this](int64_t bytes) { return blocks.evict(bytes); });
  // Reading every key now turns a malformed value that only a later stage
  // would read into an error at start-up.
  for (const ConfKey& key : Conf::keys()) {
    if (key.type == ConfType::kBytes) conf.getBytes(key.name);
    if (key.type == ConfType::kInt && !conf.get(key.name).empty()) conf.getInt(key.name);
    // Keep the environment's values as they were at start-up, so that
    // master() and getConf() describe the context that actually runs.
    if (!conf.contains(key.name) && conf.get(key.name) != key.defaultValue)
      conf.set(key.name, conf.get(key.name));
  }
}

}  // namespace detail

namespace {

constexpr std::string_view kOptions[] = {"--master", "--conf", "--help"};

std::string usage(const char* program) {
  return std::string("Usage: ") + program +
         " [--master MASTER] [--conf key=value]... [--] [program arguments]\n\n"
         "Options (read and removed by ember before the program sees its arguments):\n"
         "  --master MASTER     where to run: local, local[N], local[*] or local[N,F]\n"
         "  --conf key=value    set a configuration key (repeatable)\n"
         "  --help              print this help and exit\n"
         "  --                  end of ember's options: the rest belongs to the program\n\n"
         "Configuration keys (also settable as environment variables, e.g. "
         "EMBER_EXECUTOR_MEMORY=2g):\n" +
         Conf::describeKeys();
}

/// An uncaught ember error ends the program with its message, not an abort
/// and a core dump.
[[noreturn]] void reportUncaught() {
  if (auto error = std::current_exception()) {
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      std::cerr << "ember: error: " << e.what() << std::endl;
    } catch (...) {
      std::cerr << "ember: error: the program threw an exception that is not a std::exception"
                << std::endl;
    }
  }
  std::_Exit(1);
}

/// Parses ember's options out of argv. Throws ConfigError.
Conf parseCommandLine(int& argc, char** argv, const Conf& fromCode) {
  Conf conf;
  std::vector<char*> rest{argv[0]};
  auto value = [&](int& i, std::string_view arg, std::string_view name) -> std::string {
    if (arg.size() > name.size() && arg[name.size()] == '=')
      return std::string(arg.substr(name.size() + 1));
    if (i + 1 >= argc)
      throw ConfigError("option " + std::string(name) + " needs a value; see --help");
    return argv[++i];
  };
  int i = 1;
  for (; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--") {
      ++i;
      break;
    }
    std::string_view name = arg.substr(0, arg.find('='));
    if (name == "--master") {
      conf.set("ember.master", value(i, arg, name));
    } else if (name == "--conf") {
      std::string kv = value(i, arg, name);
      auto eq = kv.find('=');
      if (eq == std::string::npos) throw ConfigError("--conf needs key=value, got '" + kv + "'");
      conf.set(std::string_view(kv).substr(0, eq), std::string_view(kv).substr(eq + 1));
    } else if (name == "--help") {
      std::cout << usage(argv[0]);
      std::exit(0);
    } else if (arg.starts_with("--")) {
      std::string hint = detail::closestMatch(name, kOptions);
      throw ConfigError("unknown option '" + std::string(name) + "'" +
                        (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
                        "; put the program's own options after '--', see --help");
    } else {
      rest.push_back(argv[i]);
    }
  }
  for (; i < argc; ++i) rest.push_back(argv[i]);
  for (size_t j = 0; j < rest.size(); ++j) argv[j] = rest[j];
  argc = static_cast<int>(rest.size());
  argv[argc] = nullptr;
  for (const ConfKey& key : Conf::keys()) {
    if (fromCode.contains(key.name)) conf.set(key.name, fromCode.get(key.name));
  }
  return conf;
}

}  // namespace

Context::Context(int& argc, char** argv, Conf conf) {
  std::set_terminate(reportUncaught);
  try {
    Conf merged = parseCommandLine(argc, argv, conf);
    rt_ = std::make_shared<detail::Runtime>(std::move(merged));
  } catch (const ConfigError& e) {
    std::cerr << "ember: error: " << e.what() << std::endl;
    std::exit(2);
  }
  // A pipe() child that exits early must surface as an error, not kill us.
  std::signal(SIGPIPE, SIG_IGN);
}

Context::Context(Conf conf) : rt_(std::make_shared<detail::Runtime>(std::move(conf))) {
  std::signal(SIGPIPE, SIG_IGN);
}

Context::Context(Conf conf, std::unique_ptr<net::Transport> transport)
    : rt_(std::make_shared<detail::Runtime>(std::move(conf), std::move(transport))) {
  std::signal(SIGPIPE, SIG_IGN);
}

Context::~Context() {
  try {
    stop();
  } catch (const std::exception& e) {
    std::cerr << "ember: error: while ending the program's processes: " << e.what() << std::endl;
  }
}

void Context::stop() {
  const std::string failure = rt_->finish();
  if (!failure.empty()) throw Error(failure);
}

bool Context::isDriver() const { return rt_->isDriver(); }

Rdd<int64_t> Context::range(int64_t start, int64_t end, int64_t step, int numSlices,
                            std::source_location loc) {
  if (step == 0) throw Error("range: step must not be 0");
  return Rdd<int64_t>(
      std::make_shared<detail::RangeRdd>(rt_, detail::callSite("range", loc), start, end, step,
                                         numSlices > 0 ? numSlices : defaultParallelism()));
}

Rdd<std::string> Context::textFile(const std::string& path, int minPartitions,
                                   std::source_location loc) {
  auto splits = detail::planTextSplits(
      path, minPartitions > 0 ? minPartitions : defaultMinPartitions(), rt_->maxPartitionBytes);
  return Rdd<std::string>(std::make_shared<detail::TextFileRdd>(
      rt_, detail::callSite("textFile", loc), path, std::move(splits)));
}

int Context::defaultParallelism() const { return rt_->defaultParallelism; }

LongAccumulator Context::longAccumulator(std::string name) {
  return LongAccumulator(rt_->accumulators.create(std::move(name), {int64_t{0}, 0}));
}

DoubleAccumulator Context::doubleAccumulator(std::string name) {
  return DoubleAccumulator(rt_->accumulators.create(std::move(name), {0.0, 0}));
}
int Context::defaultMinPartitions() const { return std::min(defaultParallelism(), 2); }
std::string Context::master() const { return rt_->conf.get("ember.master"); }
const Conf& Context::getConf() const { return rt_->conf; }
void Context::setCheckpointDir(const std::string& dir) {
  rt_->checkpointDir.set(dir, rt_->sharedDirName());
}

std::optional<std::string> Context::getCheckpointDir() const {
  if (auto dir = rt_->checkpointDir.get()) return dir->string();
  return std::nullopt;
}

std::vector<RDDInfo> Context::getRDDStorageInfo() const {
  std::vector<RDDInfo> infos;
  for (const auto& rdd : rt_->persistentRdds.list()) {
    const RddBlockStatus status = rt_->rddStatus(rdd->id());
    RDDInfo info{rdd->id(),
                 rdd->name(),
                 rdd->callSite(),
                 rdd->storageLevel(),
                 status.cachedPartitions,
                 rdd->numPartitions(),
                 status.memSize,
                 status.diskSize};
    if (info.isCached()) infos.push_back(std::move(info));
  }
  return infos;
}

void Context::addListener(std::shared_ptr<SchedulerListener> listener) {
  rt_->bus.add(std::move(listener));
}
void Context::removeListener(const std::shared_ptr<SchedulerListener>& listener) {
  rt_->bus.remove(listener);
}

}  // namespace ember

#pragma once
// Context: the entry point of an ember program, as SparkContext is of Spark's.

#include <cstdint>
#include <memory>
#include <optional>
#include <source_location>
#include <string>
#include <vector>

#include "common/conf.hpp"
#include "rdd/accumulator.hpp"
#include "rdd/broadcast.hpp"
#include "scheduler/scheduler_listener.hpp"
#include "storage/rdd_info.hpp"

namespace ember {

template <class T>
class Rdd;

namespace detail {
struct Runtime;
}
namespace net {
class Transport;
}

/// Creates RDDs and runs their jobs. One per program.
///
///     int main(int argc, char** argv) {
///       ember::Context ctx(argc, argv);   // --master local[4] --conf key=value ...
///       auto lines = ctx.textFile(argv[1]);
///
/// Thread safety: RDDs may be created and actions run from several threads;
/// jobs then run one after another.
class Context {
 public:
  /// Reads and removes ember's options from the command line, as MPI_Init
  /// does, leaving the program's own arguments in argv[1..argc): `--master
  /// M`, `--conf key=value` (repeatable), `--help`, and `--`, after which
  /// nothing more is read. An unknown `--option` or a bad value prints one
  /// error line with a hint and exits with status 2; `--help` prints every
  /// option and configuration key and exits with 0. Values in `conf` take
  /// precedence over the command line, as a SparkConf over spark-submit.
  ///
  /// Also installs a handler so that an uncaught exception ends the program
  /// with "ember: error: <message>" and status 1 instead of an abort.
  Context(int& argc, char** argv, Conf conf = Conf());

  /// A context configured only by `conf` and the environment. Throws
  /// ConfigError for an invalid value.
  explicit Context(Conf conf = Conf());

  /// One rank of a job whose ranks `transport` joins (rank 0 the driver),
  /// configured by `conf` only: how a test runs several ranks in one
  /// process, over net::InProcessTransport, each in a thread with a Context
  /// of its own. Throws ConfigError for an invalid value.
  Context(Conf conf, std::unique_ptr<net::Transport> transport);

  /// stop(), printing what it would throw.
  ~Context();
  /// Ends the job: on a cluster the driver stops the executors and waits
  /// for them, and an executor waits to be stopped. Throws Error when a
  /// process that local-cluster started failed (its log says why). No job
  /// may run afterwards; calling it again does nothing.
  void stop();
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  /// The RDD of `data`'s elements, cut into `numSlices` partitions (default:
  /// defaultParallelism()).
  template <class T>
  Rdd<T> parallelize(std::vector<T> data, int numSlices = 0,
                     std::source_location loc = std::source_location::current());

  /// start, start + step, ... up to but excluding end. REQUIRES: step != 0.
  Rdd<int64_t> range(int64_t start, int64_t end, int64_t step = 1, int numSlices = 0,
                     std::source_location loc = std::source_location::current());

  /// The lines of a text file, of every visible file of a directory, or of
  /// the files a glob pattern (*, ?, [..]) matches, without line endings.
  /// Files are cut into byte ranges, at least minPartitions of them (default:
  /// min(defaultParallelism(), 2)). The files are listed now, so a missing
  /// or unreadable path throws IoError here, not at the first action.
  Rdd<std::string> textFile(const std::string& path, int minPartitions = 0,
                            std::source_location loc = std::source_location::current());

  /// An RDD with no partitions and no elements.
  template <class T>
  Rdd<T> emptyRDD(std::source_location loc = std::source_location::current());

  /// A new accumulator of int64_t (or double) values, at zero; see
  /// Accumulator. The name is for the user (Spark shows it in the UI).
  LongAccumulator longAccumulator(std::string name = "");
  DoubleAccumulator doubleAccumulator(std::string name = "");

  /// Shares `value` with every task, read-only; see Broadcast. On a
  /// cluster, the executors receive the driver's value in place of theirs.
  template <class T>
  Broadcast<T> broadcast(T value);

  /// Partitions of parallelize and range when not given: ember.default.parallelism
  /// or the number of cores.
  int defaultParallelism() const;
  int defaultMinPartitions() const;
  /// The master this context runs on, as given: "local[4]".
  std::string master() const;
  const Conf& getConf() const;
  /// True in the process that runs the program's driver; always true in
  /// local mode. Guard side effects that must happen once with it.
  bool isDriver() const;

  /// Where Rdd::checkpoint() writes: a new subdirectory of `dir` (created,
  /// with `dir` if missing), one per context, as in Spark. Checkpoint files
  /// stay after the program ends. Throws IoError when `dir` is not writable.
  void setCheckpointDir(const std::string& dir);
  /// That subdirectory, once set.
  std::optional<std::string> getCheckpointDir() const;

  /// The storage status of each persisted RDD that has cached partitions,
  /// by id: level, partitions cached, bytes in memory and on disk.
  std::vector<RDDInfo> getRDDStorageInfo() const;

  /// Registers a listener for job, stage and task events.
  void addListener(std::shared_ptr<SchedulerListener> listener);
  void removeListener(const std::shared_ptr<SchedulerListener>& listener);

  /// For ember's own code: the services RDDs share.
  const std::shared_ptr<detail::Runtime>& runtime() const { return rt_; }

 private:
  std::shared_ptr<detail::Runtime> rt_;
};

}  // namespace ember

#include "rdd/rdd.hpp"

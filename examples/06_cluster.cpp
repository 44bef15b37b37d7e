// Tutorial 06: the same program on several processes.
//
// What to look at:
//   1. Nothing in the code says how many processes there are. ember-run -n 3
//      starts this program three times; rank 0 is the driver, ranks 1 and 2
//      are executors. Every process runs main() and builds the same RDDs
//      (SPMD), so do not branch on the rank, the time or local files before
//      an action: the driver checks, and stops the job with an error naming
//      the first RDD that differs.
//   2. Every process reaches each action; the driver schedules its tasks on
//      the slots of all of them, and the action returns the same answer in
//      every process. Guard side effects (printing, writing a report) with
//      ctx.isDriver(); an action inside such a guard runs on the driver
//      alone.
//   3. The reduceByKey shuffle now crosses processes: map outputs stay where
//      they were written, and each reducer fetches the buckets of the other
//      processes over TCP (authenticated with a secret ember-run generates).
//      The listener below sums what the tasks read from the shuffle and
//      which executors ran them.
//   4. Executors' output goes to the log directory ember-run names on its
//      first line (ember-logs/<date>-<time>-<pid>/rank-<r>.log).
//
// Run it:
//   build/release/tools/ember-run -n 3 build/release/examples/06_cluster examples/data/sample.txt
//   build/release/examples/06_cluster --master local-cluster[3,1] examples/data/sample.txt
//   build/release/examples/06_cluster --master local[2] examples/data/sample.txt   (one process)
//
// The output you should see (the driver's; numbers for the bundled sample):
//   <N> distinct words, <M> words in all
//   the five most frequent words with their counts
//   "tasks ran on executors: 1 2 driver" (or "driver" alone in local mode)
//   "shuffle read: <B> bytes of <R> records"

#include <cstdint>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>

#include <ember/ember.hpp>

/// What the driver learns from the tasks' end events.
class ShuffleReport : public ember::SchedulerListener {
 public:
  void onTaskEnd(const ember::TaskEndEvent& e) override {
    std::lock_guard lock(mutex_);
    executors.insert(e.task.executorId);
    bytes += e.metrics.shuffleReadBytes;
    records += e.metrics.shuffleReadRecords;
  }
  std::mutex mutex_;
  std::set<std::string> executors;
  int64_t bytes = 0;
  int64_t records = 0;
};

int main(int argc, char** argv) {
  ember::Context ctx(argc, argv);
  if (argc < 2) {
    std::cerr << "usage: " << argv[0] << " [--master local-cluster[P,C]] <input>\n";
    return 2;
  }
  auto report = std::make_shared<ShuffleReport>();
  ctx.addListener(report);

  auto counts = ctx.textFile(argv[1], 6)
                    .flatMap([](const std::string& line) { return ember::splitWords(line); })
                    .map([](const std::string& w) {
                      return std::pair{w, int64_t{1}};
                    })
                    .reduceByKey(std::plus<>{}, 6);
  // Actions: every process calls them and gets the same answers.
  const int64_t distinct = counts.count();
  const int64_t words = counts.values().reduce(std::plus<>{});
  auto top = counts.takeOrdered(5, [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });

  if (ctx.isDriver()) {
    std::cout << distinct << " distinct words, " << words << " words in all\n";
    for (const auto& [word, n] : top) std::cout << "  " << word << "\t" << n << "\n";
    std::lock_guard lock(report->mutex_);
    std::cout << "tasks ran on executors:";
    for (const auto& e : report->executors) std::cout << " " << e;
    std::cout << "\nshuffle read: " << report->bytes << " bytes of " << report->records
              << " records\n";
  }
  return 0;
}

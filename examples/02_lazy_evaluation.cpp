// Tutorial 02: lazy evaluation, lineage, jobs and stages.
//
// What to look at:
//   1. Transformations (map, filter, reduceByKey) return at once: the
//      counter of calls to the map function stays at 0 until an action runs.
//   2. toDebugString() prints the lineage: every RDD, its partition count,
//      and an indented "+-" where a shuffle splits the job into stages.
//   3. Each action is one job. A job with one shuffle has two stages (map
//      side, then reduce side); a stage has one task per partition.
//   4. A second action on the same shuffled RDD reuses the shuffle output:
//      the map stage is skipped, and the map function is not called again.
//
// Run it:  build/release/examples/02_lazy_evaluation [--master local[N]]
//
// The output you should see (ids and line numbers may differ):
//   map calls after defining the RDDs: 0
//   the lineage, with "(4) ShuffledRDD[..] at reduceByKey" on top and a
//   " +-(4) MapPartitionsRDD" line below it
//   count(): 10 keys; job 0 ran 2 stages, 8 tasks; map calls: 1000
//   collect(): 10 keys; job 1 ran 1 stages (1 skipped), 4 tasks; map calls: 1000
//   sum of values: 499500

#include <atomic>
#include <cstdint>
#include <iostream>
#include <memory>
#include <string>
#include <utility>

#include <ember/ember.hpp>

// Summarizes each job from the scheduler's events (listeners are called one
// event at a time, so plain counters are enough).
class JobReport : public ember::SchedulerListener {
 public:
  void onStageCompleted(const ember::StageCompletedEvent& e) override {
    (e.skipped ? skipped_ : stages_)++;
  }
  void onTaskEnd(const ember::TaskEndEvent&) override { ++tasks_; }
  void onJobEnd(const ember::JobEndEvent& e) override {
    last_ = "job " + std::to_string(e.jobId) + " ran " + std::to_string(stages_) + " stages" +
            (skipped_ > 0 ? " (" + std::to_string(skipped_) + " skipped)" : "") + ", " +
            std::to_string(tasks_) + " tasks";
    stages_ = skipped_ = tasks_ = 0;
  }
  const std::string& lastJob() const { return last_; }

 private:
  int stages_ = 0;
  int skipped_ = 0;
  int tasks_ = 0;
  std::string last_;
};

int main(int argc, char** argv) {
  ember::Context ctx(argc, argv);
  auto report = std::make_shared<JobReport>();
  ctx.addListener(report);
  std::atomic<int64_t> mapCalls{0};

  // 1. Define the computation: nothing runs yet.
  auto numbers = ctx.range(0, 1000, 1, 4);
  auto byLastDigit = numbers
                         .map([&mapCalls](const int64_t& n) {
                           ++mapCalls;
                           return std::pair{n % 10, n};
                         })
                         .reduceByKey(std::plus<>{});
  std::cout << "map calls after defining the RDDs: " << mapCalls << "\n\n";

  // 2. The lineage: read it bottom-up, from the source to the result.
  std::cout << byLastDigit.toDebugString() << "\n\n";

  // 3. An action runs a job: the map stage, then the reduce stage.
  int64_t keys = byLastDigit.count();
  std::cout << "count(): " << keys << " keys; " << report->lastJob() << "; map calls: " << mapCalls
            << "\n";

  // 4. Another action: the shuffle output is still there, so only the
  //    reduce stage runs.
  auto pairs = byLastDigit.collect();
  std::cout << "collect(): " << pairs.size() << " keys; " << report->lastJob()
            << "; map calls: " << mapCalls << "\n";

  int64_t total = 0;
  for (const auto& kv : pairs) total += kv.second;
  std::cout << "sum of values: " << total << "\n";
}

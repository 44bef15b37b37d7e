#pragma once
// MetricsRecorder: a listener that sums what the tasks of a context report,
// for tests that check a job spilled, or how many stages it ran.

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include <ember/ember.hpp>

namespace ember::testing {

/// Register with ctx.addListener(recorder). The listener bus calls it one
/// event at a time, but tests read it from their own thread between jobs:
/// the mutex makes that safe.
class MetricsRecorder : public SchedulerListener {
 public:
  void onJobStart(const JobStartEvent& e) override {
    std::lock_guard lock(mutex_);
    stagesPerJob_.push_back(static_cast<int>(e.stages.size()));
  }
  void onStageCompleted(const StageCompletedEvent& e) override {
    std::lock_guard lock(mutex_);
    if (!e.skipped) ++stagesRun_;
    (e.stage.isShuffleMap ? mapStages_ : resultStages_) += e.metrics;
  }
  void onTaskEnd(const TaskEndEvent& e) override {
    std::lock_guard lock(mutex_);
    total_ += e.metrics;
    ++tasks_;
  }

  /// The metrics of every task that ended since the last clear().
  TaskMetrics total() const {
    std::lock_guard lock(mutex_);
    return total_;
  }
  /// The metrics of the shuffle map stages (map sides of shuffles) and of
  /// the result stages that completed since the last clear().
  TaskMetrics mapStages() const {
    std::lock_guard lock(mutex_);
    return mapStages_;
  }
  TaskMetrics resultStages() const {
    std::lock_guard lock(mutex_);
    return resultStages_;
  }
  /// Stages of each job started since the last clear() (skipped ones too).
  std::vector<int> stagesPerJob() const {
    std::lock_guard lock(mutex_);
    return stagesPerJob_;
  }
  /// Stages that ran tasks since the last clear().
  int stagesRun() const {
    std::lock_guard lock(mutex_);
    return stagesRun_;
  }
  /// Tasks that ended since the last clear().
  int64_t tasks() const {
    std::lock_guard lock(mutex_);
    return tasks_;
  }
  void clear() {
    std::lock_guard lock(mutex_);
    total_ = TaskMetrics();
    mapStages_ = TaskMetrics();
    resultStages_ = TaskMetrics();
    stagesPerJob_.clear();
    stagesRun_ = 0;
    tasks_ = 0;
  }

 private:
  mutable std::mutex mutex_;
  TaskMetrics total_;
  TaskMetrics mapStages_;
  TaskMetrics resultStages_;
  std::vector<int> stagesPerJob_;
  int stagesRun_ = 0;
  int64_t tasks_ = 0;
};

}  // namespace ember::testing

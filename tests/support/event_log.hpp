#pragma once
// EventLog: a listener that keeps the scheduler's task and stage events, so
// that a test can check which partitions ran again, where, and why.

#include <mutex>
#include <set>
#include <string>
#include <vector>

#include <ember/ember.hpp>

namespace ember::testing {

class EventLog : public SchedulerListener {
 public:
  void onStageSubmitted(const StageSubmittedEvent& e) override {
    std::lock_guard lock(mutex_);
    submitted_.push_back(e.stage);
  }
  void onStageCompleted(const StageCompletedEvent& e) override {
    std::lock_guard lock(mutex_);
    completed_.push_back(e);
  }
  void onTaskStart(const TaskStartEvent& e) override {
    std::lock_guard lock(mutex_);
    started_.push_back(e.task);
  }
  void onTaskEnd(const TaskEndEvent& e) override {
    std::lock_guard lock(mutex_);
    ended_.push_back(e);
  }

  std::vector<StageInfo> submitted() const {
    std::lock_guard lock(mutex_);
    return submitted_;
  }
  std::vector<StageCompletedEvent> completed() const {
    std::lock_guard lock(mutex_);
    return completed_;
  }
  std::vector<TaskInfo> started() const {
    std::lock_guard lock(mutex_);
    return started_;
  }
  std::vector<TaskEndEvent> ended() const {
    std::lock_guard lock(mutex_);
    return ended_;
  }
  std::vector<TaskEndEvent> failures() const {
    std::vector<TaskEndEvent> failed;
    for (const TaskEndEvent& e : ended())
      if (!e.succeeded) failed.push_back(e);
    return failed;
  }
  /// The partitions of stage `stageId` started in attempt `attempt` of it.
  std::set<int> partitionsStarted(int stageId, int attempt) const {
    std::set<int> partitions;
    for (const TaskInfo& t : started())
      if (t.stageId == stageId && t.stageAttempt == attempt) partitions.insert(t.partition);
    return partitions;
  }
  void clear() {
    std::lock_guard lock(mutex_);
    submitted_.clear();
    completed_.clear();
    started_.clear();
    ended_.clear();
  }

 private:
  mutable std::mutex mutex_;
  std::vector<StageInfo> submitted_;
  std::vector<StageCompletedEvent> completed_;
  std::vector<TaskInfo> started_;
  std::vector<TaskEndEvent> ended_;
};

}  // namespace ember::testing

#pragma once
// SchedulerListener: the interface through which progress bars, the UI and
// tests observe jobs, stages and tasks.

#include "scheduler/scheduler_events.hpp"

namespace ember {

/// Override the events of interest. The scheduler calls a listener for one
/// event at a time, never concurrently, so a listener needs no locking of its
/// own; it must not block for long, nor start a job.
class SchedulerListener {
 public:
  virtual ~SchedulerListener() = default;
  virtual void onJobStart(const JobStartEvent&) {}
  virtual void onJobEnd(const JobEndEvent&) {}
  virtual void onStageSubmitted(const StageSubmittedEvent&) {}
  virtual void onStageCompleted(const StageCompletedEvent&) {}
  virtual void onTaskStart(const TaskStartEvent&) {}
  virtual void onTaskEnd(const TaskEndEvent&) {}
  /// Delivered from the task (or job) that changed the block.
  virtual void onBlockUpdated(const BlockUpdatedEvent&) {}
};

}  // namespace ember

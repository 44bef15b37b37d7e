#pragma once
// The events the scheduler reports to listeners as a job runs.

#include <cstdint>
#include <string>
#include <vector>

#include "scheduler/task_metrics.hpp"

namespace ember {

struct StageInfo {
  int stageId = 0;
  int attemptNumber = 0;
  std::string name;  ///< the call site of the stage's last RDD: "reduceByKey at wc.cpp:14"
  int numTasks = 0;
  std::vector<int> parentIds;
  std::vector<int> rddIds;  ///< the RDDs fused into this stage
  bool isShuffleMap = false;
};

struct TaskInfo {
  int64_t taskId = 0;
  int stageId = 0;
  int stageAttempt = 0;
  int partition = 0;
  int attemptNumber = 0;
  std::string executorId;
};

struct JobStartEvent {
  int jobId = 0;
  std::string callSite;
  std::vector<StageInfo> stages;  ///< every stage of the job, parents first
};

struct JobEndEvent {
  int jobId = 0;
  bool succeeded = false;
  std::string error;  ///< why the job failed, empty on success
  int64_t durationNanos = 0;
};

struct StageSubmittedEvent {
  StageInfo stage;
};

struct StageCompletedEvent {
  StageInfo stage;
  bool skipped = false;  ///< its shuffle output existed already, no task ran
  bool succeeded = false;
  TaskMetrics metrics;  ///< summed over the stage's successful tasks
};

struct TaskStartEvent {
  TaskInfo task;
};

struct TaskEndEvent {
  TaskInfo task;
  bool succeeded = false;
  std::string error;  ///< the exception's type and text when it failed
  TaskMetrics metrics;
};

}  // namespace ember

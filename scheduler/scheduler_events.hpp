#pragma once
// The events the scheduler reports to listeners as a job runs.

#include <cstdint>
#include <string>
#include <vector>

#include "scheduler/task_metrics.hpp"
#include "storage/block_id.hpp"
#include "storage/storage_level.hpp"

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
  /// A copy of a slow attempt still running elsewhere (ember.speculation).
  bool speculative = false;
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
  /// Task attempts of this stage attempt: started, failed (any error, an
  /// executor lost or a map output unreadable too), killed because another
  /// attempt of their partition finished first, and speculative copies.
  int taskAttempts = 0;
  int failedAttempts = 0;
  int killedAttempts = 0;
  int speculativeAttempts = 0;
  /// Map tasks that computed again an output that had existed and was lost
  /// (with its executor, or unreadable): lineage at work.
  int recomputedTasks = 0;
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

/// A cached block was stored, moved or removed (Spark's
/// SparkListenerBlockUpdated): where it is now and its sizes. A removed or
/// dropped block has level NONE and sizes 0.
struct BlockUpdatedEvent {
  std::string executorId;  ///< "driver" in local mode
  BlockId blockId;         ///< blockId.name() is Spark's "rdd_3_1"
  StorageLevel storageLevel;
  int64_t memSize = 0;
  int64_t diskSize = 0;
};

}  // namespace ember

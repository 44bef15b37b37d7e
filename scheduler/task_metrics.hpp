#pragma once
// TaskMetrics: what one task read, wrote and shuffled, and how long it took.

#include <cstdint>

namespace ember {

/// Counters of one task attempt, also summed per stage. Bytes of in-memory
/// records are estimates (see detail::estimateSize); bytes of files are exact.
struct TaskMetrics {
  int64_t durationNanos = 0;
  int64_t inputRecords = 0;   ///< records produced by the stage's sources
  int64_t inputBytes = 0;     ///< bytes read from files or in-memory collections
  int64_t outputRecords = 0;  ///< records handed to the action or written to files
  int64_t outputBytes = 0;
  int64_t shuffleWriteRecords = 0;
  int64_t shuffleWriteBytes = 0;
  int64_t shuffleReadRecords = 0;
  int64_t shuffleReadBytes = 0;
  /// Bytes of the shuffle read from disk: map outputs that spilled.
  int64_t shuffleReadDiskBytes = 0;
  /// Spark's spill metrics: the in-memory size of the data spilled, and
  /// the bytes that took on disk (after compression).
  int64_t memoryBytesSpilled = 0;
  int64_t diskBytesSpilled = 0;

  TaskMetrics& operator+=(const TaskMetrics& o) {
    durationNanos += o.durationNanos;
    inputRecords += o.inputRecords;
    inputBytes += o.inputBytes;
    outputRecords += o.outputRecords;
    outputBytes += o.outputBytes;
    shuffleWriteRecords += o.shuffleWriteRecords;
    shuffleWriteBytes += o.shuffleWriteBytes;
    shuffleReadRecords += o.shuffleReadRecords;
    shuffleReadBytes += o.shuffleReadBytes;
    shuffleReadDiskBytes += o.shuffleReadDiskBytes;
    memoryBytesSpilled += o.memoryBytesSpilled;
    diskBytesSpilled += o.diskBytesSpilled;
    return *this;
  }
};

}  // namespace ember

#pragma once
// The exceptions ember throws. Every message says what happened, where, and
// what to do, so that it can be shown to a user as is.

#include <exception>
#include <stdexcept>
#include <string>

namespace ember {

/// Base of every error ember reports.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A bad command-line option, configuration key or value.
class ConfigError : public Error {
 public:
  using Error::Error;
};

/// A file or directory that cannot be read or written.
class IoError : public Error {
 public:
  using Error::Error;
};

/// A block on disk or on the wire that fails its checks (checksum, sizes,
/// format): the data was damaged, not the program misused.
class CorruptBlockError : public Error {
 public:
  using Error::Error;
};

/// A connection that failed, was refused, or carried something unreadable;
/// or a peer process that did not join or went away.
class NetError : public Error {
 public:
  using Error::Error;
};

/// A reduce task could not read one map output: the process holding it is
/// gone or does not have it, or the bucket failed its checks (Spark's
/// FetchFailedException). The scheduler then re-runs that map task and the
/// reducers that needed it, rather than retry the reducer alone.
class FetchFailed : public NetError {
 public:
  /// `rank` holds (or held) the output; -1 when it is this process's own.
  FetchFailed(const std::string& message, int shuffleId, int mapId, int rank)
      : NetError(message), shuffleId_(shuffleId), mapId_(mapId), rank_(rank) {}
  int shuffleId() const { return shuffleId_; }
  int mapId() const { return mapId_; }
  int rank() const { return rank_; }

 private:
  int shuffleId_;
  int mapId_;
  int rank_;
};

/// Thrown inside a task attempt the scheduler no longer needs (another
/// attempt of its partition finished first): the attempt stops at its next
/// batch, and its end is ignored.
class TaskKilled : public Error {
 public:
  using Error::Error;
};

/// A job that was aborted because one of its tasks failed too many times.
/// cause() is the exception the last attempt threw, for callers that want to
/// rethrow or inspect it.
class JobFailed : public Error {
 public:
  JobFailed(const std::string& message, std::exception_ptr cause)
      : Error(message), cause_(std::move(cause)) {}
  const std::exception_ptr& cause() const { return cause_; }

 private:
  std::exception_ptr cause_;
};

}  // namespace ember

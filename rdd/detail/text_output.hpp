#pragma once
// TextOutput: saveAsTextFile's commit protocol and part-file writer.

#include <cstdio>
#include <string>
#include <string_view>

namespace ember::detail {

/// Tasks write part files into a hidden temporary directory beside the
/// output; commit() writes _SUCCESS there last and renames the directory to
/// the output path in one step. So the output either does not exist or is
/// complete: a failed job leaves nothing that looks like a result.
///
/// On several processes every one makes a TextOutputJob with the same
/// `tag` (so their tasks write into the same directory, which must be on a
/// file system they share); only the `owner`, the driver, creates, commits
/// or removes it. The driver commits before the job's end reaches the other
/// processes, so the output exists when saveAsTextFile returns anywhere.
class TextOutputJob {
 public:
  /// Throws IoError when `path` already exists or its parent cannot be
  /// created.
  TextOutputJob(std::string path, const std::string& tag, bool owner);
  /// Removes the temporary directory unless commit() succeeded.
  ~TextOutputJob();
  TextOutputJob(const TextOutputJob&) = delete;
  TextOutputJob& operator=(const TextOutputJob&) = delete;

  /// Where the task of `partition` writes: <temporary>/part-00042.
  std::string partPath(int partition) const;
  void commit();
  /// The job failed: removes the temporary directory now.
  void abort() noexcept;

 private:
  std::string path_;
  std::string tempDir_;
  bool owner_;
  bool committed_ = false;
};

/// A buffered file writer that reports every failure (a full disk shows
/// only at flush or close) as an IoError naming the file.
class TextFileWriter {
 public:
  explicit TextFileWriter(std::string path);
  ~TextFileWriter();
  TextFileWriter(const TextFileWriter&) = delete;
  TextFileWriter& operator=(const TextFileWriter&) = delete;

  void writeLine(std::string_view line);
  /// Flushes and closes; throws IoError if any write failed.
  void close();

 private:
  void fail() const;

  std::string path_;
  std::FILE* file_;
};

}  // namespace ember::detail

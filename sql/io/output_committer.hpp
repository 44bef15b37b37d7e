#pragma once
// OutputCommitter: a DataFrame write's commit protocol, saveAsTextFile's
// (part files in a hidden temporary directory, moved into place by the
// driver when every task succeeded) extended to the save modes.

#include <string>

namespace ember::sql {

/// How a write treats an existing output path (Spark's SaveMode).
enum class SaveMode : uint8_t { kErrorIfExists, kOverwrite, kAppend, kIgnore };

/// "error", "errorifexists", "default", "overwrite", "append", "ignore"
/// (any case); throws AnalysisException for another.
SaveMode parseSaveMode(const std::string& mode);

/// Tasks write part files into `<parent>/.<name>.ember-temporary-<tag>`;
/// commit() adds _SUCCESS and moves them to the output, so that the output
/// either holds a complete result or is as it was:
///
/// - a new path (any mode): the directory is renamed into place;
/// - overwrite: the old directory is renamed aside first and removed only
///   once the new one is in place, so a failed job leaves it readable;
/// - append: the part files move into the existing directory (their
///   names hold a unique id, so they never replace the files there).
///
/// On several processes every one makes a committer with the same tag;
/// only the owner (the driver) creates, commits or removes the directory.
class OutputCommitter {
 public:
  /// REQUIRES: mode != kIgnore and, for kErrorIfExists, no file at `path`.
  /// Throws IoError when the temporary directory cannot be made.
  OutputCommitter(const std::string& path, SaveMode mode, const std::string& tag, bool owner);
  /// Removes the temporary directory unless commit() succeeded.
  ~OutputCommitter();
  OutputCommitter(const OutputCommitter&) = delete;
  OutputCommitter& operator=(const OutputCommitter&) = delete;

  /// Where the task of `partition` writes: <temporary>/part-00042-<uuid>.csv.
  std::string partPath(int partition, const std::string& extension) const;
  void commit();
  void abort() noexcept;

 private:
  void replaceOutput();
  void appendToOutput();

  std::string path_;
  std::string tempDir_;
  std::string uuid_;
  SaveMode mode_;
  bool owner_;
  bool committed_ = false;
};

}  // namespace ember::sql

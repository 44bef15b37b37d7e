#include "sql/io/write_job.hpp"

#include <memory>
#include <optional>

#include "rdd/detail/text_output.hpp"
#include "scheduler/result_task.hpp"
#include "sql/io/record_formatter.hpp"

namespace ember::sql {
namespace {

/// Writes partition `p` of `batches` to the committer's part file; the
/// rows written. The file is opened at the first row, so that an empty
/// partition leaves none (but partition 0).
int64_t writePartition(const Rdd<Batch>& batches, int p, TaskContext& tc,
                       const RecordFormatter& formatter, const OutputCommitter& committer,
                       const std::string& extension) {
  std::optional<detail::TextFileWriter> file;
  auto open = [&] {
    file.emplace(committer.partPath(p, extension));
    if (formatter.hasHeader()) file->writeLine(formatter.header());
  };
  if (p == 0) open();
  int64_t rows = 0;
  std::string line;
  auto sink = detail::makeSink<Batch>([&](std::vector<Batch>& bs) {
    for (const Batch& b : bs) {
      if (b.numRows() > 0 && !file) open();
      for (size_t r = 0; r < b.numRows(); ++r) {
        formatter.format(b, r, line);
        file->writeLine(line);
        tc.metrics().outputBytes += static_cast<int64_t>(line.size() + 1);
      }
      rows += static_cast<int64_t>(b.numRows());
    }
  });
  batches.node()->iterator(p, tc, sink);
  if (file) file->close();
  tc.metrics().outputRecords += rows;
  return rows;
}

}  // namespace

void runWriteJob(const Rdd<Batch>& batches, const StructType& schema, const std::string& format,
                 const SourceOptions& options, const std::string& path, SaveMode mode) {
  const auto& rt = batches.node()->runtime();
  OutputCommitter committer(path, mode, rt->sharedDirName(), rt->isDriver());
  const std::string extension = format == "text" ? ".txt" : "." + format;
  std::vector<int> partitions(static_cast<size_t>(batches.getNumPartitions()));
  for (size_t i = 0; i < partitions.size(); ++i) partitions[i] = static_cast<int>(i);
  ResultTask task{
      [&](int p, TaskContext& tc) {
        // A formatter per task: it keeps scratch buffers.
        const RecordFormatter formatter(format, schema, options);
        writePartition(batches, p, tc, formatter, committer, extension);
      },
      [](int) { return std::string(); }, [](int, std::string_view) {},
      [&committer](bool succeeded) { succeeded ? committer.commit() : committer.abort(); }};
  rt->runJob(batches.node(), partitions, task, "save at " + path);
}

}  // namespace ember::sql

#pragma once
// The job that writes a DataFrame's batches as part files.

#include <string>

#include "rdd/rdd.hpp"
#include "sql/io/output_committer.hpp"
#include "sql/plan/file_scan.hpp"
#include "sql/types/batch.hpp"

namespace ember::sql {

/// Writes `batches` (of `schema`) as `format` ("csv", "json", "text") part
/// files, one per non-empty partition (and partition 0 always, so that an
/// empty result still has its file and header), committed into `path` by
/// an OutputCommitter under `mode` when every task succeeded. A failed job
/// throws JobFailed and leaves `path` as it was.
/// REQUIRES: mode != kIgnore; the options were checked (RecordFormatter).
void runWriteJob(const Rdd<Batch>& batches, const StructType& schema, const std::string& format,
                 const SourceOptions& options, const std::string& path, SaveMode mode);

}  // namespace ember::sql

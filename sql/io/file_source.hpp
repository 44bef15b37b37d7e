#pragma once
// The file data sources (csv, json, text): listing a path's files,
// inferring their schema, and reading a scan's splits as batches.

#include <string>
#include <vector>

#include "rdd/context.hpp"
#include "rdd/rdd.hpp"
#include "sql/plan/file_scan.hpp"
#include "sql/plan/logical_plan.hpp"

namespace ember::sql {

/// The splits of the files of `path` (a file, a directory's files but
/// those named _* or .*, or a glob), cut by byte ranges as textFile cuts
/// them. Throws AnalysisException "[PATH_NOT_FOUND] Path does not exist"
/// when nothing is there.
std::vector<detail::FileSplit> planFileSplits(const std::string& path, Context& ctx);

/// The schema of `scan`'s files as Spark infers it for its format (a job
/// over the files for CSV with inferSchema and for JSON; the first line
/// for CSV's column names). Throws AnalysisException when there is no
/// file to infer from.
StructType inferFileSchema(const FileScan& scan, Context& ctx);

/// The batches of a kScan plan: a task per split, parsing lines straight
/// into the required columns.
Rdd<Batch> scanRdd(const LogicalPlan& plan, Context& ctx);

}  // namespace ember::sql

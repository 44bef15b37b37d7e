#include "rdd/detail/lineage.hpp"

#include <regex>

#include "storage/rdd_info.hpp"

namespace ember::detail {
namespace {

using Lines = std::vector<std::string>;

// The RDD's line, and Spark's line of its cached partitions when it has some.
Lines describe(const RddNode& rdd, const RddStatusOf& statusOf) {
  std::string label = rdd.label();
  Lines lines{(label.empty() ? "" : label + " ") + rdd.name() + "[" + std::to_string(rdd.id()) +
              "] at " + rdd.callSite() + " [" + rdd.storageLevel().description() + "]"};
  if (statusOf && rdd.storageLevel().isValid()) {
    const RddBlockStatus status = statusOf(rdd.id());
    if (status.cachedPartitions > 0) {
      lines.push_back("    CachedPartitions: " + std::to_string(status.cachedPartitions) +
                      "; MemorySize: " + bytesToString(status.memSize) +
                      "; DiskSize: " + bytesToString(status.diskSize));
    }
  }
  return lines;
}

void debugString(const RddNode& rdd, const std::string& prefix, bool isShuffle, bool isLastChild,
                 const RddStatusOf& statusOf, Lines& out);

void debugChildren(const RddNode& rdd, const std::string& prefix, const RddStatusOf& statusOf,
                   Lines& out) {
  const auto& deps = rdd.dependencies();
  for (size_t i = 0; i < deps.size(); ++i) {
    debugString(*deps[i].rdd, prefix, deps[i].kind == DependencyKind::kShuffle,
                i + 1 == deps.size(), statusOf, out);
  }
}

// The layout of Spark's RDD.toDebugString: a shuffle indents its parent
// under "+-(partitions)", narrow parents continue the same column with "|".
void debugString(const RddNode& rdd, const std::string& prefix, bool isShuffle, bool isLastChild,
                 const RddStatusOf& statusOf, Lines& out) {
  if (!isShuffle) {
    for (const std::string& line : describe(rdd, statusOf)) out.push_back(prefix + line);
    debugChildren(rdd, prefix, statusOf, out);
    return;
  }
  std::string partitions = "(" + std::to_string(rdd.numPartitions()) + ")";
  size_t leftOffset = (partitions.size() - 1) / 2;
  std::string thisPrefix = std::regex_replace(prefix, std::regex("\\|\\s+$"), "");
  std::string nextPrefix = thisPrefix + (isLastChild ? "  " : "| ") + std::string(leftOffset, ' ') +
                           "|" + std::string(partitions.size() - leftOffset, ' ');
  const Lines self = describe(rdd, statusOf);
  out.push_back(thisPrefix + "+-" + partitions + " " + self[0]);
  for (size_t i = 1; i < self.size(); ++i) out.push_back(nextPrefix + self[i]);
  debugChildren(rdd, nextPrefix, statusOf, out);
}

}  // namespace

std::string lineageString(const RddNode& rdd, const RddStatusOf& statusOf) {
  std::string partitions = "(" + std::to_string(rdd.numPartitions()) + ")";
  size_t leftOffset = (partitions.size() - 1) / 2;
  std::string nextPrefix =
      std::string(leftOffset, ' ') + "|" + std::string(partitions.size() - leftOffset, ' ');
  const Lines self = describe(rdd, statusOf);
  Lines lines{partitions + " " + self[0]};
  for (size_t i = 1; i < self.size(); ++i) lines.push_back(nextPrefix + " " + self[i]);
  debugChildren(rdd, nextPrefix, statusOf, lines);
  std::string text;
  for (const auto& line : lines) text += line + "\n";
  text.pop_back();
  return text;
}

}  // namespace ember::detail

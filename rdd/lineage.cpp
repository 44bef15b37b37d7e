#include "rdd/detail/lineage.hpp"

#include <regex>

namespace ember::detail {
namespace {

using Lines = std::vector<std::string>;

std::string describe(const RddNode& rdd) {
  std::string label = rdd.label();
  return (label.empty() ? "" : label + " ") + rdd.name() + "[" + std::to_string(rdd.id()) +
         "] at " + rdd.callSite() + " [" + rdd.storageLevel().description() + "]";
}

void debugString(const RddNode& rdd, const std::string& prefix, bool isShuffle, bool isLastChild,
                 Lines& out);

void debugChildren(const RddNode& rdd, const std::string& prefix, Lines& out) {
  const auto& deps = rdd.dependencies();
  for (size_t i = 0; i < deps.size(); ++i) {
    debugString(*deps[i].rdd, prefix, deps[i].kind == DependencyKind::kShuffle,
                i + 1 == deps.size(), out);
  }
}

// The layout of Spark's RDD.toDebugString: a shuffle indents its parent
// under "+-(partitions)", narrow parents continue the same column with "|".
void debugString(const RddNode& rdd, const std::string& prefix, bool isShuffle, bool isLastChild,
                 Lines& out) {
  if (!isShuffle) {
    out.push_back(prefix + describe(rdd));
    debugChildren(rdd, prefix, out);
    return;
  }
  std::string partitions = "(" + std::to_string(rdd.numPartitions()) + ")";
  size_t leftOffset = (partitions.size() - 1) / 2;
  std::string thisPrefix = std::regex_replace(prefix, std::regex("\\|\\s+$"), "");
  std::string nextPrefix = thisPrefix + (isLastChild ? "  " : "| ") + std::string(leftOffset, ' ') +
                           "|" + std::string(partitions.size() - leftOffset, ' ');
  out.push_back(thisPrefix + "+-" + partitions + " " + describe(rdd));
  debugChildren(rdd, nextPrefix, out);
}

}  // namespace

std::string lineageString(const RddNode& rdd) {
  std::string partitions = "(" + std::to_string(rdd.numPartitions()) + ")";
  size_t leftOffset = (partitions.size() - 1) / 2;
  std::string nextPrefix =
      std::string(leftOffset, ' ') + "|" + std::string(partitions.size() - leftOffset, ' ');
  Lines lines{partitions + " " + describe(rdd)};
  debugChildren(rdd, nextPrefix, lines);
  std::string text;
  for (const auto& line : lines) text += line + "\n";
  text.pop_back();
  return text;
}

}  // namespace ember::detail

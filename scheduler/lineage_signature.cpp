#include "scheduler/lineage_signature.hpp"

#include <algorithm>
#include <map>

namespace ember {
namespace {

void collect(const std::shared_ptr<RddNode>& rdd, std::map<int, std::string>& lines) {
  if (lines.contains(rdd->id())) return;
  std::string line = rdd->name() + "[" + std::to_string(rdd->id()) + "] " + rdd->callSite() + ", " +
                     std::to_string(rdd->numPartitions()) + " partitions, parents";
  lines[rdd->id()] = {};
  for (const Dependency& dep : rdd->dependencies()) {
    line += " " + std::to_string(dep.rdd->id());
    if (dep.shuffle) line += " (shuffle " + std::to_string(dep.shuffle->shuffleId()) + ")";
    collect(dep.rdd, lines);
  }
  lines[rdd->id()] = std::move(line);
}

}  // namespace

std::vector<std::string> lineageSignature(const std::shared_ptr<RddNode>& rdd) {
  std::map<int, std::string> lines;
  collect(rdd, lines);
  std::vector<std::string> out;
  for (auto& [id, line] : lines) out.push_back(std::move(line));
  return out;
}

std::string lineageMismatch(const std::vector<std::string>& driver,
                            const std::vector<std::string>& mine, int rank,
                            const std::string& driverCallSite, const std::string& myCallSite) {
  if (driver == mine && driverCallSite == myCallSite) return "";
  const std::string head =
      "main() must build the same RDDs on every process: do not branch on "
      "rank, time or local state. The driver ran " +
      driverCallSite + " where rank " + std::to_string(rank) + " ran " + myCallSite;
  auto [d, m] = std::mismatch(driver.begin(), driver.end(), mine.begin(), mine.end());
  if (d == driver.end() && m == mine.end()) return head;
  return head + "; the first RDD that differs is " +
         (d == driver.end() ? std::string("(none)") : *d) + " on the driver and " +
         (m == mine.end() ? std::string("(none)") : *m) + " on rank " + std::to_string(rank);
}

}  // namespace ember

#pragma once
// ReliableCheckpointRdd: a checkpointed RDD's partitions read back from its
// checkpoint files.

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "rdd/detail/cached_values.hpp"
#include "rdd/detail/node.hpp"
#include "storage/checkpoint_file.hpp"

namespace ember::detail {

/// Spark's ReliableCheckpointRDD: the partitions of a checkpointed RDD read
/// back from its files, `<checkpoint dir>/rdd-<id>/part-NNNNN`.
template <class T>
class ReliableCheckpointRdd final : public Node<T> {
 public:
  ReliableCheckpointRdd(std::shared_ptr<Runtime> rt, std::string callSite, int numPartitions,
                        std::filesystem::path dir)
      : Node<T>(std::move(rt), "ReliableCheckpointRDD", std::move(callSite), numPartitions, {}),
        dir_(std::move(dir)) {}

  static std::filesystem::path partFile(const std::filesystem::path& dir, int p) {
    char name[32];
    std::snprintf(name, sizeof name, "part-%05d", p);
    return dir / name;
  }

  void compute(int p, TaskContext& tc, Sink<T>& out) override {
    CheckpointFileReader reader(partFile(dir_, p));
    const std::string name = "checkpoint of RDD " + std::to_string(this->id());
    std::string payload;
    std::vector<T> batch;
    while (reader.next(payload)) {
      tc.metrics().inputBytes += static_cast<int64_t>(payload.size());
      auto counting = makeSink<T>([&](std::vector<T>& b) {
        tc.metrics().inputRecords += static_cast<int64_t>(b.size());
        out.push(b);
      });
      pushPayload(payload, name, batch, counting);
    }
  }

 private:
  std::filesystem::path dir_;
};

}  // namespace ember::detail

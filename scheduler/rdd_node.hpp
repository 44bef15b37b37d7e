#pragma once
// RddNode: the untyped view of an RDD that the scheduler plans jobs with.

#include <memory>
#include <string>
#include <vector>

#include "storage/storage_level.hpp"

namespace ember {

class RddNode;
class TaskContext;

/// How a partition of an RDD depends on its parent's partitions. Narrow
/// dependencies (one-to-one, range, and the many-to-one of coalesce) are
/// computed in the same task; a shuffle ends a stage.
enum class DependencyKind { kOneToOne, kRange, kNarrow, kShuffle };

/// The map side of a shuffle: the scheduler runs one map task per partition
/// of `rdd()`, each storing one bucket per reduce partition.
class ShuffleDependencyBase {
 public:
  explicit ShuffleDependencyBase(int shuffleId) : shuffleId_(shuffleId) {}
  virtual ~ShuffleDependencyBase() = default;
  ShuffleDependencyBase(const ShuffleDependencyBase&) = delete;
  ShuffleDependencyBase& operator=(const ShuffleDependencyBase&) = delete;

  int shuffleId() const { return shuffleId_; }
  virtual const std::shared_ptr<RddNode>& rdd() const = 0;
  virtual int numReducePartitions() const = 0;
  /// Computes partition `mapId` of rdd() and stores its buckets.
  virtual void runMapTask(int mapId, TaskContext& tc) = 0;

 private:
  int shuffleId_;
};

struct Dependency {
  DependencyKind kind;
  std::shared_ptr<RddNode> rdd;                    ///< the parent
  std::shared_ptr<ShuffleDependencyBase> shuffle;  ///< set when kind is kShuffle
};

/// Identity and lineage of an RDD: id, name, partition count, dependencies,
/// where the user created it, and its storage level.
class RddNode {
 public:
  RddNode(int id, std::string name, std::string callSite, int numPartitions,
          std::vector<Dependency> deps)
      : id_(id),
        numPartitions_(numPartitions),
        name_(std::move(name)),
        callSite_(std::move(callSite)),
        deps_(std::move(deps)) {}
  virtual ~RddNode() = default;
  RddNode(const RddNode&) = delete;
  RddNode& operator=(const RddNode&) = delete;

  int id() const { return id_; }
  int numPartitions() const { return numPartitions_; }
  /// Spark's class name of the RDD: MapPartitionsRDD, ShuffledRDD, ...
  const std::string& name() const { return name_; }
  /// "map at wordcount.cpp:12": the operation and where the program called it.
  const std::string& callSite() const { return callSite_; }
  const std::vector<Dependency>& dependencies() const { return deps_; }
  /// The partitions of the parent of narrow dependency `dep` that partition
  /// `p` reads, so that the scheduler finds the cached blocks a task needs;
  /// empty when unknown. One-to-one dependencies read partition `p`.
  virtual std::vector<int> parentPartitions(size_t dep, int p) const {
    if (deps_.at(dep).kind == DependencyKind::kOneToOne) return {p};
    return {};
  }
  /// Extra text before the name in toDebugString, such as an input path.
  virtual std::string label() const { return ""; }
  StorageLevel storageLevel() const { return storageLevel_; }

  /// Called after a job on the RDDs of its lineage, from the job's RDD
  /// towards the sources: writes the checkpoint the program asked for with
  /// checkpoint() or localCheckpoint() and truncates the lineage. True when
  /// this RDD was marked for checkpointing: its ancestors are then left
  /// alone, as in Spark.
  virtual bool doCheckpoint(const std::shared_ptr<RddNode>& /*self*/,
                            const std::string& /*callSite*/) {
    return false;
  }

 protected:
  /// After a checkpoint: the RDD's partitions now come from the RDDs of
  /// `deps` (a checkpoint RDD), and its former ancestors may be freed.
  /// Called between jobs.
  void truncateLineage(std::vector<Dependency> deps) { deps_ = std::move(deps); }

  StorageLevel storageLevel_;

 private:
  int id_;
  int numPartitions_;
  std::string name_;
  std::string callSite_;
  std::vector<Dependency> deps_;
};

}  // namespace ember

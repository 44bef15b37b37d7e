#pragma once
// Bodies of Rdd's persist, cache, unpersist and checkpoint (included by
// rdd/rdd.hpp).

#include "common/error.hpp"
#include "rdd/detail/checkpointing.hpp"

namespace ember {

template <class T>
Rdd<T> Rdd<T>::persist(StorageLevel level) const {
  const StorageLevel current = getStorageLevel();
  if (current.isValid() && current != level) {
    throw Error("Cannot change storage level of an RDD after it was already assigned a level (" +
                node_->name() + "[" + std::to_string(id()) + "] at " + node_->callSite() +
                " is persisted at " + current.description() + ")");
  }
  if (!level.isValid()) return *this;
  if constexpr (!kSerializable<T>) {
    if (level.useDisk || !level.deserialized) {
      throw Error("persist(" + level.description() + ") of " + node_->callSite() +
                  ": its records cannot be serialized; give their type a serialize() (see "
                  "storage/serializer.hpp) or use MEMORY_ONLY");
    }
  }
  node_->setStorageLevel(level, &detail::Persisting<T>::read);
  node_->runtime()->persistentRdds.add(node_);
  return *this;
}

template <class T>
Rdd<T> Rdd<T>::unpersist(bool blocking) const {
  const auto& rt = node_->runtime();
  rt->persistentRdds.remove(id());
  rt->removeRddBlocks(id(), blocking);
  node_->setStorageLevel(StorageLevel::NONE);
  return *this;
}

template <class T>
void Rdd<T>::checkpoint() const {
  if (!node_->runtime()->checkpointDir.get()) {
    throw Error(
        "Checkpoint directory has not been set in the Context: call "
        "ctx.setCheckpointDir(dir) before checkpoint()");
  }
  if constexpr (!kSerializable<T>) {
    throw Error("checkpoint() of " + node_->callSite() +
                ": its records cannot be serialized; give their type a serialize() (see "
                "storage/serializer.hpp) or use localCheckpoint()");
  }
  detail::Checkpointing<T>::mark(*node_, true);
}

template <class T>
Rdd<T> Rdd<T>::localCheckpoint() const {
  if (node_->runtime()->distributed()) {
    // Its blocks would live in each process, which reads only its own.
    throw Error("localCheckpoint() of " + node_->callSite() +
                " is not supported on several processes yet: use checkpoint() with a "
                "setCheckpointDir on a file system every process shares");
  }
  StorageLevel level = getStorageLevel();
  if (!level.isValid()) {
    level = StorageLevel::MEMORY_AND_DISK;
  } else {
    level.useDisk = true;  // as Spark: a lost block could not be recomputed
  }
  if constexpr (!kSerializable<T>) level = StorageLevel::MEMORY_ONLY;
  if (detail::Checkpointing<T>::mark(*node_, false)) {
    node_->setStorageLevel(level, &detail::Persisting<T>::read);
    node_->runtime()->persistentRdds.add(node_);
  }
  return *this;
}

template <class T>
bool Rdd<T>::isCheckpointed() const {
  return detail::Checkpointing<T>::isCheckpointed(*node_);
}

template <class T>
bool Rdd<T>::isLocallyCheckpointed() const {
  return detail::Checkpointing<T>::isLocal(*node_);
}

template <class T>
std::optional<std::string> Rdd<T>::getCheckpointFile() const {
  return detail::Checkpointing<T>::file(*node_);
}

}  // namespace ember

#pragma once
// Bodies of Context's templates (included by rdd/rdd.hpp).

#include "rdd/detail/parallel_collection_rdd.hpp"
#include "rdd/detail/range_rdd.hpp"

namespace ember {

template <class T>
Rdd<T> Context::parallelize(std::vector<T> data, int numSlices, std::source_location loc) {
  return Rdd<T>(std::make_shared<detail::ParallelCollectionRdd<T>>(
      rt_, "ParallelCollectionRDD", detail::callSite("parallelize", loc),
      std::make_shared<const std::vector<T>>(std::move(data)),
      numSlices > 0 ? numSlices : defaultParallelism()));
}

template <class T>
Broadcast<T> Context::broadcast(T value) {
  return Broadcast<T>(rt_->nextBroadcastId++, std::move(value));
}

template <class T>
Rdd<T> Context::emptyRDD(std::source_location loc) {
  return Rdd<T>(std::make_shared<detail::ParallelCollectionRdd<T>>(
      rt_, "EmptyRDD", detail::callSite("emptyRDD", loc), std::make_shared<const std::vector<T>>(),
      0));
}

}  // namespace ember

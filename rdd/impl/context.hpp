#pragma once
// Bodies of Context's templates (included by rdd/rdd.hpp).

#include "rdd/detail/parallel_collection_rdd.hpp"
#include "rdd/detail/range_rdd.hpp"
#include "rdd/detail/result_bytes.hpp"

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
  const int64_t id = rt_->nextBroadcastId++;
  const std::string what = "broadcast " + std::to_string(id);
  // Every process of a cluster calls broadcast(); the executors take the
  // driver's value in place of their own, so tasks read it wherever they run.
  if (auto driverBytes = rt_->shareBroadcast(id, [&] { return detail::saveResult(value, what); })) {
    std::optional<T> driverValue;
    detail::loadResult(*driverBytes, driverValue, what);
    value = std::move(*driverValue);
  }
  return Broadcast<T>(id, std::move(value));
}

template <class T>
Rdd<T> Context::emptyRDD(std::source_location loc) {
  return Rdd<T>(std::make_shared<detail::ParallelCollectionRdd<T>>(
      rt_, "EmptyRDD", detail::callSite("emptyRDD", loc), std::make_shared<const std::vector<T>>(),
      0));
}

}  // namespace ember

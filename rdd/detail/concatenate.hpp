#pragma once
// concatenate: the per-partition vectors an action's job returns, as one.

#include <iterator>
#include <vector>

namespace ember::detail {

/// The elements of every vector of `parts`, in order, moved into one vector
/// (collect, takeOrdered, lookup).
template <class T>
std::vector<T> concatenate(std::vector<std::vector<T>>&& parts) {
  std::vector<T> all;
  for (std::vector<T>& part : parts) {
    all.insert(all.end(), std::make_move_iterator(part.begin()),
               std::make_move_iterator(part.end()));
  }
  return all;
}

}  // namespace ember::detail

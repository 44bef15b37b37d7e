#pragma once
// The bytes of a value that travels between processes: a task's result, an
// action's result, a broadcast value.

#include <optional>
#include <string>
#include <string_view>
#include <typeinfo>
#include <utility>

#include "common/error.hpp"
#include "storage/serializer.hpp"

namespace ember::detail {

/// A task's result as it travels to the driver and from it to every process.
template <class R>
std::string saveResult(const R& result, const std::string& callSite) {
  if constexpr (kSerializable<R>) {
    std::string out;
    ByteWriter writer(out);
    serialize(writer, result);
    return out;
  } else {
    throw Error(callSite + " returns a " + typeid(R).name() +
                ", which cannot travel between processes: give it a serialize() function "
                "(cereal or Boost.Serialization)");
  }
}

template <class R>
void loadResult(std::string_view bytes, std::optional<R>& into, const std::string& callSite) {
  if constexpr (kSerializable<R>) {
    const std::string what = "the result of " + callSite;
    ByteReader reader(bytes, what);
    R value{};
    deserialize(reader, value);
    into.emplace(std::move(value));
  } else {
    throw Error(callSite + ": a result that cannot be serialized arrived from another process");
  }
}

}  // namespace ember::detail

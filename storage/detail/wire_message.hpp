#pragma once
// Messages of ember's protocols as structs: one field list per message
// type, which both ends encode and decode.

#include <cstdint>
#include <string>
#include <tuple>

#include "net/transport.hpp"
#include "storage/serializer.hpp"

namespace ember::detail {

/// Message types below this are the scheduler's (scheduler/detail/
/// protocol.hpp), from it on block transfer's (storage/detail/
/// fetch_messages.hpp): one process dispatches both without overlap.
inline constexpr uint32_t kFirstTransferMessageType = 64;

// A message type M is a struct with `static constexpr kType` (an enum of
// uint32_t) and `static auto fields(Self& m)`, a std::tie of its fields in
// wire order, for Self = M and const M.

template <class M>
net::Message encode(const M& m) {
  net::Message message{static_cast<uint32_t>(M::kType), {}};
  ByteWriter writer(message.payload);
  std::apply([&](const auto&... f) { (serialize(writer, f), ...); }, M::fields(m));
  return message;
}

/// Throws CorruptBlockError when the payload does not hold an M.
template <class M>
M decode(const net::Message& message) {
  M m;
  const std::string what = "message of type " + std::to_string(message.type);
  ByteReader reader(message.payload, what);
  std::apply([&](auto&... f) { (deserialize(reader, f), ...); }, M::fields(m));
  return m;
}

template <class M>
bool holds(const net::Message& message) {
  return message.type == static_cast<uint32_t>(M::kType);
}

}  // namespace ember::detail

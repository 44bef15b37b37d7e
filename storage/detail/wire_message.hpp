#pragma once
// Messages of ember's protocols as a type and serialized fields.

#include <cstdint>
#include <string>

#include "net/transport.hpp"
#include "storage/serializer.hpp"

namespace ember::detail {

/// Every message type of the driver/executor protocol and of block
/// transfer, so that one process dispatches them without overlap.
enum class WireType : uint32_t {
  kExecutorHello = 1,
  kJobStart,
  kRunTask,
  kTaskEnd,
  kMapStatuses,
  kJobEnd,
  kShutdown,
  kBye,
  kJobAck,
  kRemoveShuffle,
  kBroadcast,
  kBlockStatus,
  kStorageStatus,
  kRemoveRdd,
  kRemoveRddAck,
  kHeartbeat,
  kKillTask,
  kFetchRequest = 64,
  kFetchReply,
};

template <class... Fields>
net::Message encodeMessage(WireType type, const Fields&... fields) {
  net::Message message{static_cast<uint32_t>(type), {}};
  ByteWriter writer(message.payload);
  (serialize(writer, fields), ...);
  return message;
}

/// Throws CorruptBlockError when the payload does not hold the fields.
template <class... Fields>
void decodeMessage(const net::Message& message, Fields&... fields) {
  const std::string what = "message of type " + std::to_string(message.type);
  ByteReader reader(message.payload, what);
  (deserialize(reader, fields), ...);
}

inline WireType wireType(const net::Message& message) {
  return static_cast<WireType>(message.type);
}

}  // namespace ember::detail

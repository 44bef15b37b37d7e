#pragma once
// The messages of block transfer: a reducer's request for buckets, and the
// pieces of the reply.

#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "storage/detail/wire_message.hpp"

namespace ember::detail {

enum class TransferMessageType : uint32_t {
  kFetchRequest = kFirstTransferMessageType,
  kFetchReply,
};

/// The buckets of reducer `reduceId` in the outputs of `mapIds`, in that
/// order, all held by the process asked.
struct FetchRequestMessage {
  static constexpr TransferMessageType kType = TransferMessageType::kFetchRequest;

  int64_t id = 0;  ///< the asker's, repeated in the reply
  int shuffleId = 0;
  int reduceId = 0;
  std::vector<int> mapIds;

  template <class Self>
  static auto fields(Self& m) {
    return std::tie(m.id, m.shuffleId, m.reduceId, m.mapIds);
  }
};

/// One piece of a reply: replies travel in pieces of bounded size.
struct FetchReplyMessage {
  enum Status : uint8_t { kMore = 0, kLast = 1, kFailed = 2 };
  static constexpr TransferMessageType kType = TransferMessageType::kFetchReply;

  int64_t id = 0;
  uint8_t status = kMore;
  /// kMore and kLast: the next bytes of the reply; kFailed: the map id of
  /// the bucket that failed and what the serving process said.
  std::string bytes;

  template <class Self>
  static auto fields(Self& m) {
    return std::tie(m.id, m.status, m.bytes);
  }
};

}  // namespace ember::detail

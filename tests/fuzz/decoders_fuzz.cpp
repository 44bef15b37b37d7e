// Fuzz target for everything ember decodes from bytes it did not write
// itself: the wire frame header and payload check, the block frame (disk
// and shuffle blocks), the transport's control payloads and the protocol
// messages above it, and the DataFrame layer's columnar batches and rows
// (shuffled and collected across processes). The first input byte picks the decoder. Each must
// reject bad input with ember's errors, never crash, read out of bounds or
// allocate what a length field merely claims.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"
#include "net/detail/frame.hpp"
#include "net/detail/handshake.hpp"
#include "net/detail/membership.hpp"
#include "scheduler/detail/protocol.hpp"
#include "sql/row.hpp"
#include "sql/types/batch.hpp"
#include "storage/block_frame.hpp"
#include "storage/block_id.hpp"
#include "storage/detail/fetch_messages.hpp"
#include "storage/rdd_block_status.hpp"
#include "storage/storage_level.hpp"

namespace {

using namespace ember;

void wireFrame(std::string_view in) {
  net::detail::FrameHeaderBytes header{};
  if (in.size() < header.size()) return;
  std::memcpy(header.data(), in.data(), header.size());
  const auto parsed = net::detail::parseFrameHeader(header, size_t{1} << 20);
  in.remove_prefix(header.size());
  if (in.size() >= parsed.length)
    net::detail::checkFramePayload(parsed, in.substr(0, parsed.length));
}

void blockFrames(std::string_view in) {
  std::string payload;
  while (!in.empty()) in.remove_prefix(decodeFrame(in, payload, "fuzzed block"));
}

void controlPayloads(std::string_view in) {
  const char which = in.empty() ? 0 : in[0];
  in.remove_prefix(in.empty() ? 0 : 1);
  switch (which % 5) {
    case 0:
      net::detail::parseChallenge(in);
      break;
    case 1:
      net::detail::parseAnswer(in);
      break;
    case 2:
      net::detail::parseConfirm(in);
      break;
    case 3:
      net::detail::parseIntroduction(in);
      break;
    default:
      net::detail::parseMembers(in, 4);
  }
}

/// The protocol's messages with the richest fields: a task's end, the map
/// statuses, the storage status, a block's status, a fetch's request.
void protocolMessages(std::string_view in) {
  const auto which = static_cast<unsigned char>(in.empty() ? 0 : in[0]);
  in.remove_prefix(in.empty() ? 0 : 1);
  const net::Message message{0, std::string(in)};
  switch (which % 5) {
    case 0:
      detail::decode<detail::TaskEndMessage>(message);
      break;
    case 1: {
      const auto statuses = detail::decode<detail::MapStatusesMessage>(message);
      for (const MapStatus& status : statuses.statuses) {
        status.forEachNonEmpty([&](int bucket) { (void)status.bytes(bucket); });
      }
      break;
    }
    case 2:
      detail::decode<detail::StorageStatusMessage>(message);
      break;
    case 3:
      detail::decode<detail::BlockStatusMessage>(message);
      break;
    default:
      detail::decode<detail::FetchRequestMessage>(message);
  }
}

/// A batch or a row as the DataFrame layer ships them: every value read
/// back, so that offsets and lengths that passed the checks are used.
void columnar(std::string_view in) {
  const auto which = static_cast<unsigned char>(in.empty() ? 0 : in[0]);
  in.remove_prefix(in.empty() ? 0 : 1);
  ByteReader r(in, "fuzzed batch");
  if (which % 2 == 0) {
    sql::Batch batch;
    batch.readFrom(r);
    for (size_t c = 0; c < batch.numColumns(); ++c)
      for (size_t i = 0; i < batch.numRows(); ++i) (void)sql::valueAt(batch.column(c), i);
  } else {
    Row row;
    row.readFrom(r);
    (void)row.toString();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    switch (data[0] % 5) {
      case 0:
        wireFrame(in);
        break;
      case 1:
        blockFrames(in);
        break;
      case 2:
        controlPayloads(in);
        break;
      case 3:
        protocolMessages(in);
        break;
      default:
        columnar(in);
    }
  } catch (const Error&) {
    // Rejected, as bad input must be.
  }
  return 0;
}

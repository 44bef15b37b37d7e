#include "storage/block_transfer_service.hpp"

#include <algorithm>
#include <deque>

#include "common/error.hpp"
#include "storage/detail/wire_message.hpp"
#include "storage/shuffle_block_id.hpp"

namespace ember {
namespace {

using detail::WireType;

/// Replies are cut into pieces of this size, far below any sane limit on
/// message size, so that a bucket of any size can travel.
constexpr size_t kReplyChunk = size_t{8} << 20;

enum ReplyStatus : uint8_t { kMore = 0, kLast = 1, kFailed = 2 };

std::string blockName(const BucketRequest& r) {
  return ShuffleBlockId{r.shuffleId, r.mapId, r.reduceId}.name() + " from rank " +
         std::to_string(r.rank);
}

}  // namespace

bool BlockTransferService::handle(int from, net::Message& message) {
  const WireType type = detail::wireType(message);
  if (type == WireType::kFetchRequest) {
    serve(from, message);
    return true;
  }
  if (type != WireType::kFetchReply) return false;
  int64_t id = 0;
  uint8_t status = 0;
  std::string bytes;
  detail::decodeMessage(message, id, status, bytes);
  std::lock_guard lock(mutex_);
  auto it = pending_.find(id);
  if (it == pending_.end()) return true;  // its fetch gave up already
  Pending& p = it->second;
  if (status == kFailed) {
    p.reply.set_exception(std::make_exception_ptr(
        NetError("fetching " + p.block + " failed: the serving process said: " + bytes)));
    pending_.erase(it);
    return true;
  }
  p.received.append(bytes);
  if (status == kLast) {
    p.reply.set_value(std::move(p.received));
    pending_.erase(it);
  }
  return true;
}

void BlockTransferService::serve(int from, const net::Message& message) {
  int64_t id = 0;
  int shuffleId = 0, mapId = 0, reduceId = 0;
  detail::decodeMessage(message, id, shuffleId, mapId, reduceId);
  std::string frames;
  std::string error;
  auto output = shuffles_.mapOutput(shuffleId, mapId);
  if (!output || output->location() >= 0 || reduceId < 0 || reduceId >= output->numBuckets()) {
    error = "rank " + std::to_string(transport_.rank()) + " holds no output of " +
            ShuffleBlockId{shuffleId, mapId, reduceId}.name();
  } else {
    try {
      output->appendBucketFrames(reduceId, frames);
    } catch (const std::exception& e) {
      error = e.what();
    }
  }
  if (!error.empty()) {
    transport_.send(from,
                    detail::encodeMessage(WireType::kFetchReply, id, uint8_t{kFailed}, error));
    return;
  }
  size_t at = 0;
  do {
    const size_t n = std::min(kReplyChunk, frames.size() - at);
    const uint8_t status = at + n == frames.size() ? kLast : kMore;
    transport_.send(
        from, detail::encodeMessage(WireType::kFetchReply, id, status, std::string(frames, at, n)));
    at += n;
  } while (at < frames.size());
}

void BlockTransferService::peerLost(int rank, const std::string& why) {
  std::lock_guard lock(mutex_);
  lost_[rank] = why;
  for (auto it = pending_.begin(); it != pending_.end();) {
    if (it->second.rank != rank) {
      ++it;
      continue;
    }
    it->second.reply.set_exception(
        std::make_exception_ptr(NetError("fetching " + it->second.block + " failed: " + why)));
    it = pending_.erase(it);
  }
}

std::future<std::string> BlockTransferService::fetch(const BucketRequest& request) {
  int64_t id = 0;
  std::future<std::string> reply;
  {
    std::lock_guard lock(mutex_);
    if (auto gone = lost_.find(request.rank); gone != lost_.end()) {
      std::promise<std::string> failed;
      failed.set_exception(std::make_exception_ptr(
          NetError("fetching " + blockName(request) +
                   " failed, its process was lost before: " + gone->second)));
      return failed.get_future();
    }
    id = nextRequestId_++;
    Pending& p = pending_[id];
    p.rank = request.rank;
    p.block = blockName(request);
    reply = p.reply.get_future();
  }
  transport_.send(request.rank,
                  detail::encodeMessage(WireType::kFetchRequest, id, request.shuffleId,
                                        request.mapId, request.reduceId));
  return reply;
}

void BlockTransferService::fetchAll(
    const std::vector<BucketRequest>& requests,
    const std::function<void(const BucketRequest&, std::string&)>& consume) {
  std::deque<std::pair<size_t, std::future<std::string>>> inFlight;
  int64_t bytesInFlight = 0;
  size_t next = 0;
  while (next < requests.size() || !inFlight.empty()) {
    while (
        next < requests.size() &&
        (inFlight.empty() || bytesInFlight + requests[next].expectedBytes <= maxBytesInFlight_)) {
      bytesInFlight += requests[next].expectedBytes;
      inFlight.emplace_back(next, fetch(requests[next]));
      ++next;
    }
    auto [index, reply] = std::move(inFlight.front());
    inFlight.pop_front();
    const BucketRequest& r = requests[index];
    // Either way the map output cannot be read: the scheduler re-runs it.
    std::string frames;
    try {
      frames = reply.get();
    } catch (const NetError& e) {
      throw FetchFailed(e.what(), r.shuffleId, r.mapId, r.rank);
    }
    bytesInFlight -= r.expectedBytes;
    try {
      consume(r, frames);
    } catch (const CorruptBlockError& e) {
      throw FetchFailed(e.what(), r.shuffleId, r.mapId, r.rank);
    }
  }
}

}  // namespace ember

#include "storage/block_transfer_service.hpp"

#include <algorithm>
#include <deque>
#include <utility>

#include "common/error.hpp"
#include "storage/detail/fetch_messages.hpp"
#include "storage/shuffle_block_id.hpp"

namespace ember {
namespace {

using detail::FetchReplyMessage;
using detail::FetchRequestMessage;

/// Replies are cut into pieces of this size, far below any sane limit on
/// message size, so that a bucket of any size can travel.
constexpr size_t kReplyChunk = size_t{8} << 20;

}  // namespace

bool BlockTransferService::handle(int from, net::Message& message) {
  if (detail::holds<FetchRequestMessage>(message)) {
    serve(from, detail::decode<FetchRequestMessage>(message));
    return true;
  }
  if (!detail::holds<FetchReplyMessage>(message)) return false;
  auto [id, status, bytes] = detail::decode<FetchReplyMessage>(message);
  std::lock_guard lock(mutex_);
  auto it = pending_.find(id);
  if (it == pending_.end()) return true;  // its fetch gave up already
  Pending& p = it->second;
  if (status == FetchReplyMessage::kFailed) {
    // The bucket that failed, then what the serving process said.
    int mapId = -1;
    std::string why;
    try {
      ByteReader reader(bytes, "a failed fetch's reply");
      deserialize(reader, mapId);
      deserialize(reader, why);
    } catch (const CorruptBlockError& e) {
      why = e.what();
    }
    p.reply.set_exception(std::make_exception_ptr(
        FetchFailed("fetching " + p.blocks + " failed: the serving process said: " + why,
                    p.shuffleId, mapId, p.rank)));
    pending_.erase(it);
    return true;
  }
  p.received.append(bytes);
  if (status == FetchReplyMessage::kLast) {
    p.reply.set_value(std::move(p.received));
    pending_.erase(it);
  }
  return true;
}

void BlockTransferService::serve(int from, const FetchRequestMessage& request) {
  const auto& [id, shuffleId, reduceId, mapIds] = request;
  // Each bucket's frames as one string, in the order asked.
  std::string reply;
  ByteWriter writer(reply);
  std::string frames;
  for (const int mapId : mapIds) {
    frames.clear();
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
      std::string failure;
      ByteWriter failureWriter(failure);
      serialize(failureWriter, mapId);
      serialize(failureWriter, error);
      transport_.send(from,
                      detail::encode(FetchReplyMessage{id, FetchReplyMessage::kFailed, failure}));
      return;
    }
    serialize(writer, frames);
  }
  size_t at = 0;
  do {
    const size_t n = std::min(kReplyChunk, reply.size() - at);
    const uint8_t status =
        at + n == reply.size() ? FetchReplyMessage::kLast : FetchReplyMessage::kMore;
    transport_.send(from, detail::encode(FetchReplyMessage{id, status, std::string(reply, at, n)}));
    at += n;
  } while (at < reply.size());
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
        std::make_exception_ptr(NetError("fetching " + it->second.blocks + " failed: " + why)));
    it = pending_.erase(it);
  }
}

std::vector<BlockTransferService::Batch> BlockTransferService::batches(
    const std::vector<BucketRequest>& requests, int64_t targetBytes) {
  std::vector<const BucketRequest*> byRank;
  byRank.reserve(requests.size());
  for (const BucketRequest& r : requests) byRank.push_back(&r);
  std::stable_sort(
      byRank.begin(), byRank.end(),
      [](const BucketRequest* a, const BucketRequest* b) { return a->rank < b->rank; });
  std::vector<Batch> out;
  for (const BucketRequest* r : byRank) {
    if (out.empty() || out.back().buckets.front()->rank != r->rank ||
        out.back().expectedBytes + r->expectedBytes > targetBytes)
      out.emplace_back();
    out.back().buckets.push_back(r);
    out.back().expectedBytes += r->expectedBytes;
  }
  return out;
}

std::future<std::string> BlockTransferService::fetch(const Batch& batch) {
  const BucketRequest& first = *batch.buckets.front();
  std::string blocks = first.name();
  if (batch.buckets.size() > 1)
    blocks += " and " + std::to_string(batch.buckets.size() - 1) + " other maps' buckets";
  std::vector<int> mapIds;
  mapIds.reserve(batch.buckets.size());
  for (const BucketRequest* r : batch.buckets) mapIds.push_back(r->mapId);
  int64_t id = 0;
  std::future<std::string> reply;
  {
    std::lock_guard lock(mutex_);
    if (auto gone = lost_.find(first.rank); gone != lost_.end()) {
      std::promise<std::string> failed;
      failed.set_exception(std::make_exception_ptr(NetError(
          "fetching " + blocks + " failed, its process was lost before: " + gone->second)));
      return failed.get_future();
    }
    id = nextRequestId_++;
    Pending& p = pending_[id];
    p.rank = first.rank;
    p.shuffleId = first.shuffleId;
    p.blocks = std::move(blocks);
    reply = p.reply.get_future();
  }
  transport_.send(first.rank, detail::encode(FetchRequestMessage{
                                  id, first.shuffleId, first.reduceId, std::move(mapIds)}));
  return reply;
}

void BlockTransferService::consumeReply(
    const Batch& batch, std::string& reply,
    const std::function<void(const BucketRequest&, std::string&)>& consume) {
  const BucketRequest& first = *batch.buckets.front();
  const std::string what = "the reply to a fetch of " + first.name();
  ByteReader reader(reply, what);
  std::string frames;
  for (const BucketRequest* r : batch.buckets) {
    try {
      deserialize(reader, frames);
      consume(*r, frames);
    } catch (const CorruptBlockError& e) {
      // Either way the map output cannot be read: the scheduler re-runs it.
      throw FetchFailed(e.what(), r->shuffleId, r->mapId, r->rank);
    }
  }
}

void BlockTransferService::fetchAll(
    const std::vector<BucketRequest>& requests,
    const std::function<void(const BucketRequest&, std::string&)>& consume) {
  const std::vector<Batch> all = batches(requests, std::max<int64_t>(1, maxBytesInFlight_ / 5));
  std::deque<std::pair<size_t, std::future<std::string>>> inFlight;
  int64_t bytesInFlight = 0;
  size_t next = 0;
  while (next < all.size() || !inFlight.empty()) {
    while (next < all.size() &&
           (inFlight.empty() || bytesInFlight + all[next].expectedBytes <= maxBytesInFlight_)) {
      bytesInFlight += all[next].expectedBytes;
      inFlight.emplace_back(next, fetch(all[next]));
      ++next;
    }
    auto [index, reply] = std::move(inFlight.front());
    inFlight.pop_front();
    const Batch& batch = all[index];
    const BucketRequest& first = *batch.buckets.front();
    std::string frames;
    try {
      frames = reply.get();
    } catch (const FetchFailed&) {
      throw;
    } catch (const NetError& e) {
      // The process is gone: every output it held runs again.
      throw FetchFailed(e.what(), first.shuffleId, first.mapId, first.rank);
    }
    bytesInFlight -= batch.expectedBytes;
    consumeReply(batch, frames, consume);
  }
}

}  // namespace ember

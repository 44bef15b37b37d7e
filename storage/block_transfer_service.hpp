#pragma once
// BlockTransferService: shuffle buckets fetched from, and served to, the
// other processes of a job.

#include <cstdint>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "net/transport.hpp"
#include "storage/shuffle_block_id.hpp"
#include "storage/shuffle_store.hpp"

namespace ember {
namespace detail {
struct FetchRequestMessage;
}

/// One bucket a reducer needs from another process.
struct BucketRequest {
  int rank;
  int shuffleId;
  int mapId;
  int reduceId;
  int64_t expectedBytes;  ///< from the map status, to bound bytes in flight

  /// "shuffle S map M reduce R from rank K", as errors name it.
  std::string name() const {
    return ShuffleBlockId{shuffleId, mapId, reduceId}.name() + " from rank " + std::to_string(rank);
  }
};

/// Serves this process's map outputs to reducers elsewhere, and fetches the
/// buckets its own reducers need, at most maxBytesInFlight at a time. A
/// reducer's buckets held by one process travel together, in requests of
/// up to a fifth of maxBytesInFlight (Spark's target request size), so that
/// a reducer reading a few records from each of thousands of maps pays a
/// round trip per process and batch, not per bucket.
///
/// Thread safety: every method may be called concurrently; handle() and
/// peerLost() are called on the transport's threads.
class BlockTransferService {
 public:
  BlockTransferService(net::Transport& transport, ShuffleStore& shuffles, int64_t maxBytesInFlight)
      : transport_(transport), shuffles_(shuffles), maxBytesInFlight_(maxBytesInFlight) {}

  /// Takes the fetch messages among those the transport delivers; false for
  /// any other message.
  bool handle(int from, net::Message& message);
  /// Fails the fetches waiting on `rank`, and those asked of it later.
  void peerLost(int rank, const std::string& why);

  /// Fetches every bucket of `requests` (all of one shuffle and reducer)
  /// and calls consume(request, frames) for each (frames as BlockFrame
  /// encodes them, to be checked and decoded by the caller), keeping at most
  /// maxBytesInFlight requested and not yet consumed (always at least one
  /// batch). Buckets are consumed grouped by process, not in the order of
  /// `requests`. Throws FetchFailed when a peer is gone or cannot serve a
  /// bucket, or the bucket fails its checks, naming the block.
  void fetchAll(const std::vector<BucketRequest>& requests,
                const std::function<void(const BucketRequest&, std::string&)>& consume);

 private:
  /// Requests of one process, fetched together.
  struct Batch {
    std::vector<const BucketRequest*> buckets;
    int64_t expectedBytes = 0;
  };
  static std::vector<Batch> batches(const std::vector<BucketRequest>& requests,
                                    int64_t targetBytes);
  std::future<std::string> fetch(const Batch& batch);
  void serve(int from, const detail::FetchRequestMessage& request);
  void consumeReply(const Batch& batch, std::string& reply,
                    const std::function<void(const BucketRequest&, std::string&)>& consume);

  struct Pending {
    int rank;
    int shuffleId;
    std::string blocks;    ///< what an error names
    std::string received;  ///< the pieces of the reply so far
    std::promise<std::string> reply;
  };

  net::Transport& transport_;
  ShuffleStore& shuffles_;
  int64_t maxBytesInFlight_;
  std::mutex mutex_;
  int64_t nextRequestId_ = 0;
  std::map<int64_t, Pending> pending_;
  std::map<int, std::string> lost_;  ///< ranks lost, and why: fetches from them fail at once
};

}  // namespace ember

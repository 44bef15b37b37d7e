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
#include "storage/shuffle_store.hpp"

namespace ember {

/// One bucket a reducer needs from another process.
struct BucketRequest {
  int rank;
  int shuffleId;
  int mapId;
  int reduceId;
  int64_t expectedBytes;  ///< from the map status, to bound bytes in flight
};

/// Serves this process's map outputs to reducers elsewhere, and fetches the
/// buckets its own reducers need, at most maxBytesInFlight at a time.
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

  /// Fetches every bucket of `requests` and calls consume(request, frames)
  /// as each arrives (frames as BlockFrame encodes them, to be checked and
  /// decoded by the caller), keeping at most maxBytesInFlight requested and
  /// not yet consumed (always at least one). Throws FetchFailed when a peer
  /// is gone or cannot serve a bucket, or the bucket fails its checks,
  /// naming the block.
  void fetchAll(const std::vector<BucketRequest>& requests,
                const std::function<void(const BucketRequest&, std::string&)>& consume);

 private:
  std::future<std::string> fetch(const BucketRequest& request);
  void serve(int from, const net::Message& message);

  struct Pending {
    int rank;
    std::string block;
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

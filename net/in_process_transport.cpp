#include "net/in_process_transport.hpp"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

#include "common/error.hpp"

namespace ember::net {

// One endpoint's inbox and delivery thread; the group owns them so that a
// sender reaches its peer's queue without a reference to its transport.
struct InProcessTransport::Endpoint {
  enum class State { kCreated, kStarted, kStopped };

  // A message, or (no message) the news that `from` was lost.
  struct Event {
    int from = 0;
    std::optional<Message> message;
    std::string why;
  };

  // Queues `event` unless this endpoint has stopped.
  void post(Event event) {
    std::lock_guard lock(mutex);
    if (state == State::kStopped) return;
    inbox.push_back(std::move(event));
    ready.notify_one();
  }

  std::mutex mutex;  // guards state and inbox
  std::condition_variable ready;
  State state = State::kCreated;
  std::deque<Event> inbox;
  MessageHandler onMessage;  // set before start(), read by the thread only
  PeerLostHandler onPeerLost;
  std::thread thread;
};

struct InProcessTransport::Group {
  std::chrono::milliseconds joinTimeout;
  std::vector<std::unique_ptr<Endpoint>> endpoints;
  std::mutex mutex;  // guards started
  std::condition_variable allStarted;
  int started = 0;
};

std::vector<std::unique_ptr<Transport>> InProcessTransport::group(
    int n, std::chrono::milliseconds joinTimeout) {
  if (n < 1) throw std::invalid_argument("InProcessTransport::group: n must be at least 1");
  auto shared = std::make_shared<Group>();
  shared->joinTimeout = joinTimeout;
  std::vector<std::unique_ptr<Transport>> transports;
  for (int r = 0; r < n; ++r) {
    shared->endpoints.push_back(std::make_unique<Endpoint>());
    transports.push_back(std::unique_ptr<Transport>(new InProcessTransport(shared, r)));
  }
  return transports;
}

InProcessTransport::InProcessTransport(std::shared_ptr<Group> group, int rank)
    : group_(std::move(group)), rank_(rank) {}

InProcessTransport::~InProcessTransport() { stop(); }

InProcessTransport::Endpoint& InProcessTransport::self() const {
  return *group_->endpoints[static_cast<size_t>(rank_)];
}

int InProcessTransport::size() const { return static_cast<int>(group_->endpoints.size()); }

void InProcessTransport::send(int peer, Message message) {
  if (peer < 0 || peer >= size() || peer == rank_) {
    throw std::invalid_argument("InProcessTransport::send: rank " + std::to_string(rank_) +
                                " cannot send to rank " + std::to_string(peer) + " in a group of " +
                                std::to_string(size()));
  }
  {
    std::lock_guard lock(self().mutex);
    if (self().state == Endpoint::State::kStopped) return;
  }
  group_->endpoints[static_cast<size_t>(peer)]->post({rank_, std::move(message), {}});
}

void InProcessTransport::setMessageHandler(MessageHandler handler) {
  self().onMessage = std::move(handler);
}

void InProcessTransport::setPeerLostHandler(PeerLostHandler handler) {
  self().onPeerLost = std::move(handler);
}

void InProcessTransport::start() {
  {
    std::lock_guard lock(self().mutex);
    if (self().state != Endpoint::State::kCreated) {
      throw std::logic_error("InProcessTransport::start() called twice or after stop()");
    }
    self().state = Endpoint::State::kStarted;
    self().thread = std::thread([this] { deliverLoop(); });
  }
  std::unique_lock lock(group_->mutex);
  ++group_->started;
  group_->allStarted.notify_all();
  if (group_->allStarted.wait_for(lock, group_->joinTimeout,
                                  [&] { return group_->started == size(); })) {
    return;
  }
  lock.unlock();
  const std::string missing = missingPeers();
  stop();
  throw NetError("rank " + std::to_string(rank_) + " of " + std::to_string(size()) + ": " +
                 missing + " did not start within " + std::to_string(group_->joinTimeout.count()) +
                 " ms");
}

std::string InProcessTransport::missingPeers() const {
  std::string ranks;
  int count = 0;
  for (int r = 0; r < size(); ++r) {
    Endpoint& e = *group_->endpoints[static_cast<size_t>(r)];
    std::lock_guard lock(e.mutex);
    if (e.state != Endpoint::State::kCreated) continue;
    ranks += (count++ ? ", " : "") + std::to_string(r);
  }
  return (count == 1 ? "rank " : "ranks ") + ranks;
}

void InProcessTransport::deliverLoop() {
  Endpoint& me = self();
  std::vector<bool> lost(static_cast<size_t>(size()), false);
  for (;;) {
    Endpoint::Event event;
    {
      std::unique_lock lock(me.mutex);
      me.ready.wait(lock,
                    [&] { return !me.inbox.empty() || me.state == Endpoint::State::kStopped; });
      if (me.state == Endpoint::State::kStopped) return;
      event = std::move(me.inbox.front());
      me.inbox.pop_front();
    }
    // A send racing its sender's stop() may land after the news of the
    // loss; what a lost peer says afterwards is not delivered.
    if (lost[static_cast<size_t>(event.from)]) continue;
    if (event.message) {
      if (me.onMessage) me.onMessage(event.from, std::move(*event.message));
    } else {
      lost[static_cast<size_t>(event.from)] = true;
      if (me.onPeerLost) me.onPeerLost(event.from, event.why);
    }
  }
}

void InProcessTransport::stop() {
  Endpoint& me = self();
  {
    std::lock_guard lock(me.mutex);
    if (me.state == Endpoint::State::kStopped) return;
    if (me.thread.get_id() == std::this_thread::get_id()) {
      throw std::logic_error("InProcessTransport::stop() called from one of its own handlers");
    }
    me.state = Endpoint::State::kStopped;
    me.inbox.clear();
    me.ready.notify_all();
  }
  if (me.thread.joinable()) me.thread.join();
  const std::string why = "rank " + std::to_string(rank_) + " stopped";
  for (int r = 0; r < size(); ++r) {
    if (r != rank_) group_->endpoints[static_cast<size_t>(r)]->post({rank_, std::nullopt, why});
  }
}

}  // namespace ember::net

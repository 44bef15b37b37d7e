#pragma once
// Transport: ordered, framed messages between the processes of one job.

#include <cstdint>
#include <functional>
#include <string>

namespace ember::net {

/// A message between processes: a type the protocol above defines and an
/// opaque payload. The transport frames, checks and delivers it whole.
struct Message {
  uint32_t type = 0;
  std::string payload;
};

/// The processes of a job, ranks 0..size()-1, rank 0 being the driver, each
/// able to send to every other. Implementations: InProcessTransport (a group
/// of endpoints in one process, for tests of the protocols above) and
/// TcpTransport (Boost.Asio over TCP, authenticated, for processes and hosts).
///
/// Thread safety: send() may be called from any thread. Handlers run on the
/// transport's own threads, one message at a time per sending peer and in
/// the order that peer sent them; they must not block.
class Transport {
 public:
  using MessageHandler = std::function<void(int from, Message message)>;
  /// Called once per peer whose connection ends (it exited, crashed or sent
  /// something unreadable), with a sentence saying why.
  using PeerLostHandler = std::function<void(int peer, const std::string& why)>;

  virtual ~Transport() = default;

  virtual int rank() const = 0;
  virtual int size() const = 0;

  /// Queues `message` for `peer` (never this process's own rank) and returns
  /// without waiting for the network. Messages to one peer arrive in order.
  /// A message to a peer that is gone is dropped: the peer-lost handler has
  /// said so, or will.
  virtual void send(int peer, Message message) = 0;

  /// Set both before start(); messages that arrive earlier wait.
  virtual void setMessageHandler(MessageHandler handler) = 0;
  virtual void setPeerLostHandler(PeerLostHandler handler) = 0;

  /// Connects to every peer and returns when all are reachable. Throws
  /// NetError naming the peers that did not join in time.
  virtual void start() = 0;

  /// Closes every connection; no handler runs after it returns.
  virtual void stop() = 0;
};

}  // namespace ember::net

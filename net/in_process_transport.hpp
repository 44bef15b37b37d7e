#pragma once
// InProcessTransport: the endpoints of a job that lives in one process.

#include <chrono>
#include <memory>
#include <vector>

#include "net/transport.hpp"

namespace ember::net {

/// A Transport whose "processes" are endpoints of one group in this
/// process, joined by queues: for tests of the protocols above the
/// transport, with the ordering and lifetime rules of TcpTransport and none
/// of its sockets.
///
/// Each endpoint delivers to its handlers on a thread of its own, one event
/// at a time, messages from one sender in the order sent. stop() of an
/// endpoint tells every other endpoint that it was lost, after the messages
/// it sent before. stop() must not be called from a handler.
class InProcessTransport final : public Transport {
 public:
  /// `n` endpoints, ranks 0..n-1. Each one's start() waits until all `n`
  /// have started, and throws NetError naming the others after `joinTimeout`.
  static std::vector<std::unique_ptr<Transport>> group(
      int n, std::chrono::milliseconds joinTimeout = std::chrono::milliseconds(120000));

  ~InProcessTransport() override;
  InProcessTransport(const InProcessTransport&) = delete;
  InProcessTransport& operator=(const InProcessTransport&) = delete;

  int rank() const override { return rank_; }
  int size() const override;
  /// Throws std::invalid_argument for a bad rank; drops the message once
  /// either endpoint has stopped.
  void send(int peer, Message message) override;
  void setMessageHandler(MessageHandler handler) override;
  void setPeerLostHandler(PeerLostHandler handler) override;
  void start() override;
  void stop() override;

 private:
  struct Group;
  struct Endpoint;

  InProcessTransport(std::shared_ptr<Group> group, int rank);
  Endpoint& self() const;
  void deliverLoop();
  std::string missingPeers() const;

  std::shared_ptr<Group> group_;
  int rank_;
};

}  // namespace ember::net

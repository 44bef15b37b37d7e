#pragma once
// TcpTransport: the Transport of a job whose processes talk over TCP.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "net/transport.hpp"

namespace ember::net {

/// Authenticated, framed messages over one TCP connection per pair of
/// processes, driven by Boost.Asio on a few threads of its own.
///
/// Membership: rank 0 (the driver) listens on driverHost:driverPort; every
/// other rank listens on listenHost (port chosen by the system), connects to
/// the driver and tells it that address. Once all have joined, the driver
/// sends everyone the table, and rank j connects to every rank 0 < i < j.
/// Every connection starts with a mutual HMAC-SHA256 challenge-response over
/// the shared secret; a connection that fails it, or that later sends an
/// unreadable frame, is closed and logged, and the rest of the job goes on.
///
/// Handlers run on the I/O threads: with ioThreads > 1, messages from
/// different peers may be handled concurrently (from one peer, never).
/// stop() must not be called from a handler.
class TcpTransport final : public Transport {
 public:
  struct Options {
    int rank = 0;
    int size = 1;
    /// Where rank 0 listens, and where the others find it. Port 0 (rank 0
    /// only) lets the system choose; localPort() says which it chose.
    std::string driverHost = "127.0.0.1";
    uint16_t driverPort = 0;
    /// Where ranks other than 0 listen, and the address the driver passes
    /// on to their peers: it must be reachable from them.
    std::string listenHost = "127.0.0.1";
    /// Shared by every process of the job; never sent over the wire.
    std::string secret;
    /// Larger frames are refused by the reader and by send().
    size_t maxFrameBytes = size_t{128} << 20;
    /// How long start() waits for every peer.
    std::chrono::milliseconds joinTimeout{120000};
    /// How long a new connection may take to authenticate and introduce
    /// itself before it is dropped.
    std::chrono::milliseconds handshakeTimeout{10000};
    int ioThreads = 1;
    /// Receives one line per event worth a person's attention (refused
    /// connections, lost peers), from any thread. Default: stderr, as
    /// "ember: [rank r] <line>".
    std::function<void(const std::string& line)> log;
  };

  /// Validates the options and opens the listening socket (so localPort()
  /// is known before start()). Throws ConfigError for bad options and
  /// NetError when the address cannot be listened on.
  explicit TcpTransport(Options options);
  ~TcpTransport() override;
  TcpTransport(const TcpTransport&) = delete;
  TcpTransport& operator=(const TcpTransport&) = delete;

  int rank() const override;
  int size() const override;
  /// Throws std::invalid_argument for a bad rank and NetError for a payload
  /// above maxFrameBytes; drops the message if the peer is lost.
  void send(int peer, Message message) override;
  void setMessageHandler(MessageHandler handler) override;
  void setPeerLostHandler(PeerLostHandler handler) override;
  void start() override;
  void stop() override;

  /// The port this process listens on.
  uint16_t localPort() const;
  /// Connections closed before they authenticated and introduced
  /// themselves (bad secret, garbage, bad frames, timeouts, duplicates).
  size_t refusedConnections() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ember::net

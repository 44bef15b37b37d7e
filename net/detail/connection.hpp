#pragma once
// Connection: one TCP connection carrying frames, driven by Asio.

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "net/detail/frame.hpp"

namespace ember::net::detail {

/// A socket with a queue of frames to write and one frame read at a time.
///
/// Every operation runs on the strand the socket was created on, so the
/// connection needs no lock; send() and close() post onto it and may be
/// called from any thread. The first failure (a read or write error, a
/// deadline, a bad frame, or an exception thrown by a frame handler) closes
/// the socket and calls the close handler once, with a reason.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  using FrameHandler = std::function<void(const FrameHeader& header, std::string payload)>;
  using CloseHandler = std::function<void(const std::string& why)>;

  /// REQUIRES: `socket` is open, connected, and its executor is a strand.
  explicit Connection(boost::asio::ip::tcp::socket socket);

  /// "address:port" of the other end, fixed when the connection was made.
  const std::string& remote() const { return remote_; }

  /// Strand only (or before the first operation).
  void setCloseHandler(CloseHandler handler) { onClose_ = std::move(handler); }

  /// Reads one frame whose payload is at most `maxPayload` bytes and checks
  /// it, then calls `onFrame` on the strand; to read on, it calls readFrame
  /// again. A handler that throws closes the connection with what() as the
  /// reason. Strand only.
  void readFrame(size_t maxPayload, FrameHandler onFrame);

  /// Queues a frame; the payload is moved, not copied, onto the wire.
  /// Any thread.
  void send(FrameKind kind, uint32_t type, std::string payload);

  /// Closes unless cancelDeadline() is called within `timeout`. Strand only.
  void setDeadline(std::chrono::milliseconds timeout, std::string why);
  void cancelDeadline();

  /// Calls `done` on the strand once every frame queued so far is written,
  /// or the connection is closed. Any thread.
  void whenFlushed(std::function<void()> done);

  /// The strand every operation of this connection runs on.
  boost::asio::ip::tcp::socket::executor_type executor() { return socket_.get_executor(); }

  /// Closes without calling the close handler. Only when no thread runs the
  /// io_context (the transport has stopped).
  void closeNow();

 private:
  struct Outgoing {
    FrameHeaderBytes header;
    std::string payload;
  };

  void readPayload(const FrameHeader& header, FrameHandler onFrame);
  void deliver(const FrameHeader& header, const FrameHandler& onFrame);
  void enqueue(Outgoing frame);
  void writeQueued();
  void fail(const std::string& why);
  void closeSocket();
  void notifyFlushed();

  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer deadline_;
  std::string remote_;
  CloseHandler onClose_;
  bool closed_ = false;
  FrameHeaderBytes headerIn_{};
  std::string payloadIn_;
  std::deque<Outgoing> queue_;
  std::vector<Outgoing> writing_;
  std::vector<boost::asio::const_buffer> buffers_;
  std::vector<std::function<void()>> flushWaiters_;
};

}  // namespace ember::net::detail

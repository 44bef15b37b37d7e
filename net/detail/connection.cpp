#include "net/detail/connection.hpp"

#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <exception>

namespace ember::net::detail {
namespace {

namespace asio = boost::asio;
using boost::system::error_code;

// Frames gathered into one write: enough to turn a burst of small messages
// into few system calls, few enough that the iovec array stays small.
constexpr size_t kMaxFramesPerWrite = 32;

std::string describe(const error_code& error) {
  if (error == asio::error::eof) return "closed the connection";
  return "connection error: " + error.message();
}

std::string endpointText(const asio::ip::tcp::socket& socket) {
  error_code error;
  const auto endpoint = socket.remote_endpoint(error);
  if (error) return "(unknown address)";
  return endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
}

}  // namespace

Connection::Connection(asio::ip::tcp::socket socket)
    : socket_(std::move(socket)),
      deadline_(socket_.get_executor()),
      remote_(endpointText(socket_)) {
  // Small control frames and the last frame of a burst must not wait for
  // Nagle's timer; large writes fill segments anyway.
  error_code ignored;
  socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
}

void Connection::readFrame(size_t maxPayload, FrameHandler onFrame) {
  if (closed_) return;
  asio::async_read(socket_, asio::buffer(headerIn_),
                   [self = shared_from_this(), maxPayload, onFrame = std::move(onFrame)](
                       const error_code& error, size_t) mutable {
                     if (error) return self->fail(describe(error));
                     FrameHeader header;
                     try {
                       header = parseFrameHeader(self->headerIn_, maxPayload);
                     } catch (const std::exception& e) {
                       return self->fail(e.what());
                     }
                     self->readPayload(header, std::move(onFrame));
                   });
}

void Connection::readPayload(const FrameHeader& header, FrameHandler onFrame) {
  // Sized only now, after parseFrameHeader bounded the length.
  payloadIn_.resize(header.length);
  asio::async_read(socket_, asio::buffer(payloadIn_),
                   [self = shared_from_this(), header, onFrame = std::move(onFrame)](
                       const error_code& error, size_t) {
                     if (error) return self->fail(describe(error));
                     self->deliver(header, onFrame);
                   });
}

void Connection::deliver(const FrameHeader& header, const FrameHandler& onFrame) {
  if (closed_) return;
  try {
    checkFramePayload(header, payloadIn_);
    onFrame(header, std::move(payloadIn_));
  } catch (const std::exception& e) {
    fail(e.what());
  }
}

void Connection::send(FrameKind kind, uint32_t type, std::string payload) {
  Outgoing frame{encodeFrameHeader(kind, type, payload), std::move(payload)};
  asio::post(socket_.get_executor(),
             [self = shared_from_this(), frame = std::move(frame)]() mutable {
               self->enqueue(std::move(frame));
             });
}

void Connection::enqueue(Outgoing frame) {
  if (closed_) return;
  queue_.push_back(std::move(frame));
  if (writing_.empty()) writeQueued();
}

void Connection::writeQueued() {
  while (!queue_.empty() && writing_.size() < kMaxFramesPerWrite) {
    writing_.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  // Header and payload go out as separate buffers of one gathered write, so
  // a large payload is never copied to sit behind its header.
  buffers_.clear();
  for (const Outgoing& frame : writing_) {
    buffers_.push_back(asio::buffer(frame.header));
    if (!frame.payload.empty()) buffers_.push_back(asio::buffer(frame.payload));
  }
  asio::async_write(socket_, buffers_,
                    [self = shared_from_this()](const error_code& error, size_t) {
                      if (error) return self->fail(describe(error));
                      self->writing_.clear();
                      if (self->queue_.empty()) return self->notifyFlushed();
                      if (!self->closed_) self->writeQueued();
                    });
}

void Connection::setDeadline(std::chrono::milliseconds timeout, std::string why) {
  deadline_.expires_after(timeout);
  deadline_.async_wait([self = shared_from_this(), why = std::move(why)](const error_code& error) {
    if (!error) self->fail(why);
  });
}

void Connection::cancelDeadline() { deadline_.cancel(); }

void Connection::whenFlushed(std::function<void()> done) {
  asio::post(socket_.get_executor(), [self = shared_from_this(), done = std::move(done)]() mutable {
    if (self->closed_ || self->writing_.empty()) return done();
    self->flushWaiters_.push_back(std::move(done));
  });
}

void Connection::notifyFlushed() {
  std::vector<std::function<void()>> waiters;
  waiters.swap(flushWaiters_);
  for (auto& done : waiters) done();
}

void Connection::fail(const std::string& why) {
  if (closed_) return;
  closeSocket();
  // Moved out first: the handler may hold the last reference to state that
  // owns it, and must run only once.
  CloseHandler onClose = std::move(onClose_);
  onClose_ = nullptr;
  if (onClose) onClose(why);
}

void Connection::closeNow() {
  onClose_ = nullptr;
  closeSocket();
}

void Connection::closeSocket() {
  closed_ = true;
  queue_.clear();
  deadline_.cancel();
  error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  notifyFlushed();
}

}  // namespace ember::net::detail

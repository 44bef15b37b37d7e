#include "net/tcp_transport.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <limits>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "common/error.hpp"
#include "net/detail/connection.hpp"
#include "net/detail/frame.hpp"
#include "net/detail/handshake.hpp"
#include "net/detail/membership.hpp"

namespace ember::net {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using boost::system::error_code;
using detail::Address;
using detail::Connection;
using detail::ControlType;
using detail::FrameHeader;
using detail::FrameKind;
using detail::Nonce;
using ConnectionPtr = std::shared_ptr<Connection>;
using Clock = std::chrono::steady_clock;

// How often a process retries a peer that is not listening yet (processes
// of a job start in any order).
constexpr auto kRetryInterval = std::chrono::milliseconds(100);
// How long stop() waits for queued messages to reach the kernel.
constexpr auto kFlushTimeout = std::chrono::seconds(2);
// An introduction is a size and a host name.
constexpr size_t kMaxIntroductionPayload = 1024;

std::string millis(std::chrono::milliseconds d) { return std::to_string(d.count()) + " ms"; }

std::string rankList(const std::vector<int>& ranks) {
  std::string out = ranks.size() == 1 ? "rank " : "ranks ";
  for (size_t i = 0; i < ranks.size(); ++i) out += (i ? ", " : "") + std::to_string(ranks[i]);
  return out;
}

void expectControl(const FrameHeader& header, ControlType type, const char* what) {
  if (header.kind != FrameKind::kControl || header.type != static_cast<uint32_t>(type)) {
    throw NetError(std::string("sent something other than ") + what);
  }
}

void validate(const TcpTransport::Options& o) {
  auto require = [](bool ok, const std::string& what) {
    if (!ok) throw ConfigError("TcpTransport: " + what);
  };
  require(o.size >= 1 && o.size <= 65535, "size must be between 1 and 65535");
  require(o.rank >= 0 && o.rank < o.size, "rank must be in [0, size)");
  require(!o.secret.empty(), "the secret must not be empty (it would admit anyone)");
  require(o.ioThreads >= 1, "ioThreads must be at least 1");
  require(o.maxFrameBytes > 0 && o.maxFrameBytes <= std::numeric_limits<uint32_t>::max(),
          "maxFrameBytes must be between 1 and 4 GiB - 1");
  require(o.rank == 0 || o.driverPort != 0, "ranks other than 0 need the driver's port");
}

std::function<void(const std::string&)> stderrLog(int rank) {
  return [rank](const std::string& line) {
    std::fprintf(stderr, "ember: [rank %d] %s\n", rank, line.c_str());
  };
}

void throwIf(const error_code& error, const std::string& what) {
  if (error) throw NetError(what + ": " + error.message());
}

}  // namespace

struct TcpTransport::Impl {
  explicit Impl(Options o);

  void listen();
  ConnectionPtr track(tcp::socket socket);
  void log(const std::string& line) const { options.log(line); }

  // The accepting side of a connection.
  void acceptNext();
  void challenge(const ConnectionPtr& c);
  void onAnswer(const ConnectionPtr& c, const Nonce& nonce, const FrameHeader& h,
                const std::string& payload);
  void onIntroduction(const ConnectionPtr& c, int peer, const FrameHeader& h,
                      const std::string& payload);
  void refuse(const std::string& remote, const std::string& why);

  // The connecting side.
  void connect(int peer, const Address& address);
  void retryConnect(int peer, const Address& address, const std::string& why);
  void onConnected(int peer, tcp::socket socket);
  void onChallenge(const ConnectionPtr& c, int peer, const FrameHeader& h,
                   const std::string& payload);
  void onConfirm(const ConnectionPtr& c, int peer, const Nonce& own, const FrameHeader& h,
                 const std::string& payload);
  void failStart(const std::string& why);

  // Authenticated connections.
  void admit(const ConnectionPtr& c, int peer, std::optional<Address> listen);
  void sendMembersLocked();
  void readNext(const ConnectionPtr& c, int peer);
  void onFrame(const ConnectionPtr& c, int peer, const FrameHeader& h, std::string payload);
  void onMembers(const std::string& payload);
  void onPeerClosed(int peer, const std::string& remote, const std::string& why);

  // Lifetime.
  void start();
  void runIo();
  std::optional<std::string> waitForPeers();
  std::string missingPeers() const;
  void flushPeers();
  void stop();

  // First: every socket and pending handler refers to it.
  asio::io_context io;
  Options options;
  tcp::acceptor acceptor{io};
  std::vector<std::thread> threads;
  MessageHandler onMessage;
  PeerLostHandler onPeerLost;
  std::atomic<size_t> refused{0};
  std::atomic<bool> stopped{false};
  uint16_t port = 0;  // the listening socket's, fixed by listen()
  Clock::time_point deadline;
  std::mutex stopMutex;

  mutable std::mutex mutex;  // guards what follows
  std::condition_variable changed;
  std::vector<ConnectionPtr> peers;  // by rank; null until admitted and once lost
  std::vector<bool> lost;
  std::vector<Address> members;  // rank 0: as introduced; others: the driver's table
  int admitted = 0;
  int joined = 0;
  bool started = false;
  bool startDone = false;
  bool membersKnown = false;
  std::string startFailure;
  std::vector<std::weak_ptr<Connection>> connections;  // all, so stop() can close them
};

TcpTransport::Impl::Impl(Options o) : options(std::move(o)) {
  validate(options);
  if (!options.log) options.log = stderrLog(options.rank);
  const auto n = static_cast<size_t>(options.size);
  peers.resize(n);
  lost.assign(n, false);
  members.resize(n);
  listen();
}

void TcpTransport::Impl::listen() {
  const bool driver = options.rank == 0;
  const std::string host = driver ? options.driverHost : options.listenHost;
  const std::string service = std::to_string(driver ? options.driverPort : 0);
  const std::string where = "cannot listen on " + host + ":" + service;
  error_code error;
  tcp::resolver resolver(io);
  const auto results = resolver.resolve(host, service, tcp::resolver::passive, error);
  throwIf(error, where);
  const tcp::endpoint endpoint = *results.begin();
  acceptor.open(endpoint.protocol(), error);
  throwIf(error, where);
  // A driver restarted on its well-known port must not wait for the old
  // connections' TIME_WAIT to pass.
  acceptor.set_option(tcp::acceptor::reuse_address(true), error);
  acceptor.bind(endpoint, error);
  throwIf(error, where);
  acceptor.listen(asio::socket_base::max_listen_connections, error);
  throwIf(error, where);
  this->port = acceptor.local_endpoint().port();
}

ConnectionPtr TcpTransport::Impl::track(tcp::socket socket) {
  auto c = std::make_shared<Connection>(std::move(socket));
  std::lock_guard lock(mutex);
  std::erase_if(connections, [](const auto& w) { return w.expired(); });
  connections.push_back(c);
  return c;
}

// ---- accepting side ----

void TcpTransport::Impl::acceptNext() {
  acceptor.async_accept(asio::make_strand(io), [this](const error_code& error, tcp::socket s) {
    if (error == asio::error::operation_aborted || stopped) return;
    if (error) {
      log("accept failed: " + error.message());
    } else {
      auto c = track(std::move(s));
      asio::post(c->executor(), [this, c] { challenge(c); });
    }
    acceptNext();
  });
}

void TcpTransport::Impl::challenge(const ConnectionPtr& c) {
  c->setCloseHandler([this, remote = c->remote()](const std::string& why) { refuse(remote, why); });
  c->setDeadline(options.handshakeTimeout, "did not authenticate and introduce itself within " +
                                               millis(options.handshakeTimeout));
  const Nonce nonce = detail::randomNonce();
  c->send(FrameKind::kControl, static_cast<uint32_t>(ControlType::kChallenge),
          detail::challengePayload(nonce));
  c->readFrame(detail::kMaxHandshakePayload,
               [this, c, nonce](const FrameHeader& h, std::string p) { onAnswer(c, nonce, h, p); });
}

void TcpTransport::Impl::onAnswer(const ConnectionPtr& c, const Nonce& nonce, const FrameHeader& h,
                                  const std::string& payload) {
  expectControl(h, ControlType::kAnswer, "a handshake answer");
  const detail::Proof answer = detail::parseAnswer(payload);
  if (!detail::verifyAnswer(options.secret, nonce, answer)) {
    throw NetError("failed authentication (its proof does not match this job's secret)");
  }
  if (answer.rank <= options.rank || answer.rank >= options.size) {
    throw NetError("authenticated as rank " + std::to_string(answer.rank) +
                   ", which does not connect to rank " + std::to_string(options.rank) +
                   " in a job of " + std::to_string(options.size));
  }
  c->setCloseHandler([this, who = c->remote() + " (authenticated as rank " +
                                  std::to_string(answer.rank) +
                                  ")"](const std::string& why) { refuse(who, why); });
  c->send(FrameKind::kControl, static_cast<uint32_t>(ControlType::kConfirm),
          detail::confirmPayload(options.secret, answer.nonce, options.rank));
  c->readFrame(kMaxIntroductionPayload,
               [this, c, peer = answer.rank](const FrameHeader& h, std::string p) {
                 onIntroduction(c, peer, h, p);
               });
}

void TcpTransport::Impl::onIntroduction(const ConnectionPtr& c, int peer, const FrameHeader& h,
                                        const std::string& payload) {
  expectControl(h, ControlType::kIntroduce, "an introduction");
  const detail::Introduction introduction = detail::parseIntroduction(payload);
  if (introduction.size != options.size) {
    throw NetError("rank " + std::to_string(peer) + " believes the job has " +
                   std::to_string(introduction.size) + " processes, this one has " +
                   std::to_string(options.size));
  }
  c->cancelDeadline();
  admit(c, peer, options.rank == 0 ? std::optional(introduction.listen) : std::nullopt);
}

void TcpTransport::Impl::refuse(const std::string& remote, const std::string& why) {
  ++refused;
  log("refused connection from " + remote + ": " + why);
}

// ---- connecting side ----

void TcpTransport::Impl::connect(int peer, const Address& address) {
  auto resolver = std::make_shared<tcp::resolver>(io);
  resolver->async_resolve(
      address.host, std::to_string(address.port),
      [this, resolver, peer, address](const error_code& error, tcp::resolver::results_type found) {
        if (error) return retryConnect(peer, address, error.message());
        auto socket = std::make_shared<tcp::socket>(asio::make_strand(io));
        asio::async_connect(
            *socket, found,
            [this, socket, peer, address](const error_code& e, const tcp::endpoint&) {
              if (e) return retryConnect(peer, address, e.message());
              onConnected(peer, std::move(*socket));
            });
      });
}

void TcpTransport::Impl::retryConnect(int peer, const Address& address, const std::string& why) {
  if (stopped) return;
  if (Clock::now() + kRetryInterval >= deadline) {
    log("gave up connecting to rank " + std::to_string(peer) + " at " + address.host + ":" +
        std::to_string(address.port) + ": " + why);
    return;
  }
  auto timer = std::make_shared<asio::steady_timer>(io, kRetryInterval);
  timer->async_wait([this, timer, peer, address](const error_code& error) {
    if (!error) connect(peer, address);
  });
}

void TcpTransport::Impl::onConnected(int peer, tcp::socket socket) {
  auto c = track(std::move(socket));
  c->setCloseHandler([this, peer, remote = c->remote()](const std::string& why) {
    failStart("cannot connect to rank " + std::to_string(peer) + " at " + remote + ": " + why);
  });
  c->setDeadline(options.handshakeTimeout,
                 "did not complete the handshake within " + millis(options.handshakeTimeout));
  c->readFrame(detail::kMaxHandshakePayload, [this, c, peer](const FrameHeader& h, std::string p) {
    onChallenge(c, peer, h, p);
  });
}

void TcpTransport::Impl::onChallenge(const ConnectionPtr& c, int peer, const FrameHeader& h,
                                     const std::string& payload) {
  expectControl(h, ControlType::kChallenge, "a handshake challenge");
  const Nonce challenge = detail::parseChallenge(payload);
  const Nonce own = detail::randomNonce();
  c->send(FrameKind::kControl, static_cast<uint32_t>(ControlType::kAnswer),
          detail::answerPayload(options.secret, challenge, options.rank, own));
  c->readFrame(detail::kMaxHandshakePayload,
               [this, c, peer, own](const FrameHeader& h2, std::string p) {
                 onConfirm(c, peer, own, h2, p);
               });
}

void TcpTransport::Impl::onConfirm(const ConnectionPtr& c, int peer, const Nonce& own,
                                   const FrameHeader& h, const std::string& payload) {
  expectControl(h, ControlType::kConfirm, "a handshake confirmation");
  const detail::Proof confirm = detail::parseConfirm(payload);
  if (!detail::verifyConfirm(options.secret, own, confirm)) {
    throw NetError("failed authentication (its proof does not match this job's secret)");
  }
  if (confirm.rank != peer) {
    throw NetError("answered as rank " + std::to_string(confirm.rank) + ", not rank " +
                   std::to_string(peer));
  }
  c->cancelDeadline();
  const Address listen{options.listenHost, port};
  c->send(FrameKind::kControl, static_cast<uint32_t>(ControlType::kIntroduce),
          detail::introductionPayload({options.size, listen}));
  admit(c, peer, std::nullopt);
}

void TcpTransport::Impl::failStart(const std::string& why) {
  log(why);
  std::lock_guard lock(mutex);
  if (!startDone && startFailure.empty()) startFailure = why;
  changed.notify_all();
}

// ---- authenticated connections ----

void TcpTransport::Impl::admit(const ConnectionPtr& c, int peer, std::optional<Address> listen) {
  {
    std::lock_guard lock(mutex);
    if (peers[peer] || lost[peer]) {
      throw NetError("authenticated as rank " + std::to_string(peer) +
                     ", which is already connected (or was lost)");
    }
    peers[peer] = c;
    ++admitted;
    if (listen) {
      members[peer] = std::move(*listen);
      if (++joined == options.size - 1) sendMembersLocked();
    }
    changed.notify_all();
  }
  c->setCloseHandler([this, peer, remote = c->remote()](const std::string& why) {
    onPeerClosed(peer, remote, why);
  });
  readNext(c, peer);
}

void TcpTransport::Impl::sendMembersLocked() {
  members[0] = {options.driverHost, port};
  const std::string payload = detail::membersPayload(members);
  for (int r = 1; r < options.size; ++r) {
    if (peers[r]) {
      peers[r]->send(FrameKind::kControl, static_cast<uint32_t>(ControlType::kMembers), payload);
    }
  }
}

void TcpTransport::Impl::readNext(const ConnectionPtr& c, int peer) {
  c->readFrame(options.maxFrameBytes, [this, c, peer](const FrameHeader& h, std::string p) {
    onFrame(c, peer, h, std::move(p));
  });
}

void TcpTransport::Impl::onFrame(const ConnectionPtr& c, int peer, const FrameHeader& h,
                                 std::string payload) {
  if (h.kind == FrameKind::kMessage) {
    if (onMessage) onMessage(peer, Message{h.type, std::move(payload)});
  } else if (peer == 0 && h.type == static_cast<uint32_t>(ControlType::kMembers)) {
    onMembers(payload);
  } else {
    throw NetError("sent an unexpected control frame (type " + std::to_string(h.type) + ")");
  }
  readNext(c, peer);
}

void TcpTransport::Impl::onMembers(const std::string& payload) {
  std::vector<Address> table = detail::parseMembers(payload, options.size);
  {
    std::lock_guard lock(mutex);
    if (membersKnown) throw NetError("sent the table of members twice");
    membersKnown = true;
    members = table;
  }
  // Rank j connects to every 0 < i < j; those above connect to it.
  for (int i = 1; i < options.rank; ++i) connect(i, table[static_cast<size_t>(i)]);
}

void TcpTransport::Impl::onPeerClosed(int peer, const std::string& remote, const std::string& why) {
  const std::string sentence = "lost rank " + std::to_string(peer) + " (" + remote + "): " + why;
  {
    std::lock_guard lock(mutex);
    peers[peer].reset();
    lost[peer] = true;
    if (!startDone && startFailure.empty()) startFailure = sentence;
    changed.notify_all();
  }
  log(sentence);
  if (onPeerLost) onPeerLost(peer, sentence);
}

// ---- lifetime ----

void TcpTransport::Impl::start() {
  {
    std::lock_guard lock(mutex);
    if (started) throw std::logic_error("TcpTransport::start() called twice");
    started = true;
  }
  deadline = Clock::now() + options.joinTimeout;
  acceptNext();
  if (options.rank > 0) connect(0, {options.driverHost, options.driverPort});
  for (int i = 0; i < options.ioThreads; ++i) threads.emplace_back([this] { runIo(); });
  if (std::optional<std::string> failure = waitForPeers()) {
    stop();
    throw NetError(*failure);
  }
}

void TcpTransport::Impl::runIo() {
  for (;;) {
    try {
      io.run();
      return;
    } catch (const std::exception& e) {
      log(std::string("internal error in an I/O handler (continuing): ") + e.what());
    }
  }
}

std::optional<std::string> TcpTransport::Impl::waitForPeers() {
  std::unique_lock lock(mutex);
  const int want = options.size - 1;
  changed.wait_until(lock, deadline, [&] { return admitted == want || !startFailure.empty(); });
  const std::string self =
      "rank " + std::to_string(options.rank) + " of " + std::to_string(options.size) + ": ";
  if (!startFailure.empty()) return self + startFailure;
  if (admitted == want) {
    startDone = true;
    return std::nullopt;
  }
  return self + "no connection to " + missingPeers() + " within " + millis(options.joinTimeout) +
         " (the driver is at " + options.driverHost + ":" + std::to_string(options.driverPort) +
         "; every process needs the same driver address, size and secret)";
}

std::string TcpTransport::Impl::missingPeers() const {
  std::vector<int> missing;
  for (int r = 0; r < options.size; ++r) {
    if (r != options.rank && !peers[static_cast<size_t>(r)]) missing.push_back(r);
  }
  return rankList(missing);
}

void TcpTransport::Impl::flushPeers() {
  struct Pending {
    std::mutex mutex;
    std::condition_variable done;
    size_t count = 0;
  };
  auto pending = std::make_shared<Pending>();
  std::vector<ConnectionPtr> live;
  {
    std::lock_guard lock(mutex);
    for (const auto& c : peers) {
      if (c) live.push_back(c);
    }
  }
  pending->count = live.size();
  for (const auto& c : live) {
    c->whenFlushed([pending] {
      std::lock_guard lock(pending->mutex);
      if (--pending->count == 0) pending->done.notify_all();
    });
  }
  std::unique_lock lock(pending->mutex);
  pending->done.wait_for(lock, kFlushTimeout, [&] { return pending->count == 0; });
}

void TcpTransport::Impl::stop() {
  std::lock_guard stopLock(stopMutex);
  for (const std::thread& t : threads) {
    if (t.get_id() == std::this_thread::get_id()) {
      throw std::logic_error("TcpTransport::stop() called from one of its own handlers");
    }
  }
  if (!threads.empty() && !stopped) flushPeers();
  stopped = true;
  io.stop();
  for (std::thread& t : threads) t.join();
  threads.clear();
  error_code ignored;
  acceptor.close(ignored);
  std::vector<std::weak_ptr<Connection>> all;
  {
    std::lock_guard lock(mutex);
    all.swap(connections);
    for (auto& c : peers) c.reset();
  }
  for (const auto& w : all) {
    if (ConnectionPtr c = w.lock()) c->closeNow();
  }
}

// ---- the Transport ----

TcpTransport::TcpTransport(Options options) : impl_(std::make_unique<Impl>(std::move(options))) {}

TcpTransport::~TcpTransport() { impl_->stop(); }

int TcpTransport::rank() const { return impl_->options.rank; }
int TcpTransport::size() const { return impl_->options.size; }

void TcpTransport::send(int peer, Message message) {
  const Options& o = impl_->options;
  if (peer < 0 || peer >= o.size || peer == o.rank) {
    throw std::invalid_argument("TcpTransport::send: rank " + std::to_string(o.rank) +
                                " cannot send to rank " + std::to_string(peer) + " in a job of " +
                                std::to_string(o.size));
  }
  if (message.payload.size() > o.maxFrameBytes) {
    throw NetError("a message of " + std::to_string(message.payload.size()) + " bytes to rank " +
                   std::to_string(peer) + " exceeds maxFrameBytes (" +
                   std::to_string(o.maxFrameBytes) + ")");
  }
  ConnectionPtr c;
  {
    std::lock_guard lock(impl_->mutex);
    c = impl_->peers[static_cast<size_t>(peer)];
  }
  if (c && !impl_->stopped) c->send(FrameKind::kMessage, message.type, std::move(message.payload));
}

void TcpTransport::setMessageHandler(MessageHandler handler) {
  impl_->onMessage = std::move(handler);
}

void TcpTransport::setPeerLostHandler(PeerLostHandler handler) {
  impl_->onPeerLost = std::move(handler);
}

void TcpTransport::start() { impl_->start(); }
void TcpTransport::stop() { impl_->stop(); }

uint16_t TcpTransport::localPort() const { return impl_->port; }

size_t TcpTransport::refusedConnections() const { return impl_->refused; }

}  // namespace ember::net

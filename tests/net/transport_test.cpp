// Transport: the behaviour every implementation owes the protocols above
// (ordering, large and many messages, peer loss), run over InProcessTransport
// and over three TcpTransports on loopback; then TcpTransport's defences
// against connections that are not peers of the job.

#include "net/transport.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "common/error.hpp"
#include "net/detail/frame.hpp"
#include "net/detail/handshake.hpp"
#include "net/detail/membership.hpp"
#include "net/in_process_transport.hpp"
#include "net/tcp_transport.hpp"

namespace ember::net {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr int kSize = 3;
constexpr char kSecret[] = "the job's shared secret";
constexpr auto kWait = 15s;

/// Waits on `cv` until `ready` holds, failing the test after kWait.
template <typename Ready>
void waitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable& cv, Ready ready,
               const std::string& what) {
  ASSERT_TRUE(cv.wait_for(lock, kWait, ready)) << "timed out waiting for " << what;
}

/// What one endpoint's handlers received.
class Inbox {
 public:
  void onMessage(int from, Message message) {
    std::lock_guard lock(mutex_);
    messages_[from].push_back(std::move(message));
    changed_.notify_all();
  }

  void onLost(int peer, const std::string& why) {
    std::lock_guard lock(mutex_);
    lost_.push_back({peer, why, messages_[peer].size()});
    changed_.notify_all();
  }

  /// The first `count` messages from `from`, once they have arrived.
  std::vector<Message> waitForMessages(int from, size_t count) {
    std::unique_lock lock(mutex_);
    waitUntil(
        lock, changed_, [&] { return messages_[from].size() >= count; },
        std::to_string(count) + " messages from rank " + std::to_string(from));
    auto& all = messages_[from];
    return {all.begin(), all.begin() + static_cast<ptrdiff_t>(std::min(count, all.size()))};
  }

  struct Loss {
    int peer;
    std::string why;
    size_t messagesBefore;  // from that peer, delivered before the loss
  };

  std::vector<Loss> waitForLosses(size_t count) {
    std::unique_lock lock(mutex_);
    waitUntil(
        lock, changed_, [&] { return lost_.size() >= count; },
        std::to_string(count) + " lost peers");
    return lost_;
  }

  std::vector<Loss> losses() {
    std::lock_guard lock(mutex_);
    return lost_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<int, std::vector<Message>> messages_;
  std::vector<Loss> lost_;
};

/// The lines one TcpTransport logged.
class LogCapture {
 public:
  std::function<void(const std::string&)> sink() {
    return [this](const std::string& line) {
      std::lock_guard lock(mutex_);
      lines_.push_back(line);
    };
  }

  std::string all() {
    std::lock_guard lock(mutex_);
    std::string out;
    for (const auto& line : lines_) out += line + "\n";
    return out;
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> lines_;
};

TcpTransport::Options tcpOptions(int rank, uint16_t driverPort, LogCapture& log) {
  TcpTransport::Options o;
  o.rank = rank;
  o.size = kSize;
  o.driverHost = "127.0.0.1";
  o.driverPort = driverPort;
  o.secret = kSecret;
  o.joinTimeout = 10s;
  o.handshakeTimeout = 500ms;
  o.maxFrameBytes = 64 << 20;
  o.ioThreads = 2;
  o.log = log.sink();
  return o;
}

/// The TcpTransports of one job on loopback, rank 0 on a port of the
/// system's choosing; not started.
std::vector<std::unique_ptr<TcpTransport>> makeTcpGroup(
    std::vector<LogCapture>& logs, const std::function<void(TcpTransport::Options&)>& tweak = {}) {
  std::vector<std::unique_ptr<TcpTransport>> group;
  for (int r = 0; r < kSize; ++r) {
    auto options = tcpOptions(r, r == 0 ? 0 : group[0]->localPort(), logs[static_cast<size_t>(r)]);
    if (tweak) tweak(options);
    group.push_back(std::make_unique<TcpTransport>(std::move(options)));
  }
  return group;
}

/// Starts each transport on a thread of its own (start() blocks until the
/// job has formed) and waits for all; rethrows the first failure.
template <typename T>
void startAll(const std::vector<T*>& transports) {
  std::vector<std::future<void>> started;
  for (T* t : transports) started.push_back(std::async(std::launch::async, [t] { t->start(); }));
  for (auto& f : started) f.get();
}

void connectInboxes(const std::vector<Transport*>& transports,
                    std::vector<std::unique_ptr<Inbox>>& inboxes) {
  for (Transport* t : transports) {
    inboxes.push_back(std::make_unique<Inbox>());
    Inbox* inbox = inboxes.back().get();
    t->setMessageHandler([inbox](int from, Message m) { inbox->onMessage(from, std::move(m)); });
    t->setPeerLostHandler([inbox](int peer, const std::string& why) { inbox->onLost(peer, why); });
  }
}

std::string text(int from, int to, int i) {
  return "message " + std::to_string(i) + " from " + std::to_string(from) + " to " +
         std::to_string(to);
}

/// Every rank sends `count` numbered messages to every other, all at once
/// from a thread per rank; each receiver must see each sender's in order.
void exchangeBetweenAllPairs(const std::vector<Transport*>& transports,
                             const std::vector<std::unique_ptr<Inbox>>& inboxes, int count,
                             size_t alreadyReceived = 0) {
  const int n = static_cast<int>(transports.size());
  std::vector<std::thread> senders;
  for (int from = 0; from < n; ++from) {
    senders.emplace_back([&, from] {
      for (int i = 0; i < count; ++i) {
        for (int to = 0; to < n; ++to) {
          if (to != from)
            transports[static_cast<size_t>(from)]->send(to, {uint32_t(i), text(from, to, i)});
        }
      }
    });
  }
  for (auto& s : senders) s.join();
  for (int to = 0; to < n; ++to) {
    for (int from = 0; from < n; ++from) {
      if (from == to) continue;
      const auto got = inboxes[static_cast<size_t>(to)]->waitForMessages(
          from, alreadyReceived + static_cast<size_t>(count));
      ASSERT_EQ(got.size(), alreadyReceived + static_cast<size_t>(count));
      for (int i = 0; i < count; ++i) {
        const Message& m = got[alreadyReceived + static_cast<size_t>(i)];
        ASSERT_EQ(m.type, uint32_t(i)) << "from " << from << " to " << to;
        ASSERT_EQ(m.payload, text(from, to, i));
      }
    }
  }
}

std::string randomBytes(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::string out(n, '\0');
  for (size_t i = 0; i + 8 <= n; i += 8) {
    const uint64_t v = rng();
    std::memcpy(out.data() + i, &v, 8);
  }
  return out;
}

// ---- the same behaviour over both implementations ----

enum class Implementation { kInProcess, kTcp };

class TransportTest : public ::testing::TestWithParam<Implementation> {
 protected:
  void SetUp() override {
    if (GetParam() == Implementation::kInProcess) {
      owned_ = InProcessTransport::group(kSize, 10s);
    } else {
      for (auto& t : makeTcpGroup(logs_)) owned_.push_back(std::move(t));
    }
    for (auto& t : owned_) transports_.push_back(t.get());
    connectInboxes(transports_, inboxes_);
    startAll(transports_);
  }

  Transport& rank(int r) { return *transports_[static_cast<size_t>(r)]; }
  Inbox& inbox(int r) { return *inboxes_[static_cast<size_t>(r)]; }

  std::vector<LogCapture> logs_{kSize};
  std::vector<std::unique_ptr<Inbox>> inboxes_;
  std::vector<std::unique_ptr<Transport>> owned_;  // after the inboxes: stopped first
  std::vector<Transport*> transports_;
};

TEST_P(TransportTest, EveryPairExchangesOrderedMessages) {
  exchangeBetweenAllPairs(transports_, inboxes_, 200);
}

TEST_P(TransportTest, A32MegabyteMessageArrivesIntact) {
  const std::string big = randomBytes(32 << 20, 7);
  rank(1).send(2, {77, big});
  rank(1).send(2, {78, "after"});
  const auto got = inbox(2).waitForMessages(1, 2);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].type, 77u);
  EXPECT_TRUE(got[0].payload == big) << "the 32 MB payload differs";
  EXPECT_EQ(got[1].payload, "after");
}

TEST_P(TransportTest, TenThousandSmallMessagesArriveInOrder) {
  constexpr int kCount = 10000;
  for (int i = 0; i < kCount; ++i) rank(2).send(0, {uint32_t(i), std::to_string(i)});
  const auto got = inbox(0).waitForMessages(2, kCount);
  ASSERT_EQ(got.size(), size_t{kCount});
  for (int i = 0; i < kCount; ++i) {
    ASSERT_EQ(got[static_cast<size_t>(i)].type, uint32_t(i));
    ASSERT_EQ(got[static_cast<size_t>(i)].payload, std::to_string(i));
  }
}

TEST_P(TransportTest, PeerLostFiresOnceWhenAPeerStops) {
  for (int i = 0; i < 100; ++i) rank(2).send(0, {uint32_t(i), "before stop"});
  rank(2).stop();
  for (int r : {0, 1}) {
    const auto losses = inbox(r).waitForLosses(1);
    ASSERT_EQ(losses.size(), 1u);
    EXPECT_EQ(losses[0].peer, 2);
    EXPECT_NE(losses[0].why.find("rank 2"), std::string::npos) << losses[0].why;
  }
  // What rank 2 sent before it stopped came first.
  EXPECT_EQ(inbox(0).losses()[0].messagesBefore, 100u);
  EXPECT_NO_THROW(rank(0).send(2, {1, "to a lost peer: dropped"}));
  rank(0).send(1, {5, "still here"});
  EXPECT_EQ(inbox(1).waitForMessages(0, 1)[0].payload, "still here");
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(inbox(0).losses().size(), 1u);
  EXPECT_EQ(inbox(1).losses().size(), 1u);
}

TEST_P(TransportTest, SendingToItselfOrOutsideTheJobIsRefused) {
  EXPECT_THROW(rank(1).send(1, {}), std::invalid_argument);
  EXPECT_THROW(rank(1).send(kSize, {}), std::invalid_argument);
  EXPECT_THROW(rank(1).send(-1, {}), std::invalid_argument);
}

INSTANTIATE_TEST_SUITE_P(Both, TransportTest,
                         ::testing::Values(Implementation::kInProcess, Implementation::kTcp),
                         [](const auto& info) {
                           return info.param == Implementation::kTcp ? "Tcp" : "InProcess";
                         });

// ---- TcpTransport against clients that are not peers ----

namespace asio = boost::asio;
using asio::ip::tcp;
namespace wire = detail;

/// A hand-driven client on a blocking socket.
class RawClient {
 public:
  explicit RawClient(uint16_t port) {
    socket_.connect({asio::ip::make_address("127.0.0.1"), port});
    // A server that misbehaves must fail the test, not hang it.
    timeval timeout{5, 0};
    ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  }

  void write(const std::string& bytes) { asio::write(socket_, asio::buffer(bytes)); }

  /// The payload of the next frame, its length read from the header by hand.
  std::string readPayload() {
    unsigned char header[wire::kFrameHeaderSize];
    asio::read(socket_, asio::buffer(header));
    const uint32_t length =
        header[12] | header[13] << 8 | header[14] << 16 | uint32_t(header[15]) << 24;
    std::string payload(length, '\0');
    asio::read(socket_, asio::buffer(payload));
    return payload;
  }

  /// Runs the connecting side of the handshake as `rank` with `secret`.
  void authenticate(const std::string& secret, int rank) {
    const wire::Nonce challenge = wire::parseChallenge(readPayload());
    const wire::Nonce own = wire::randomNonce();
    write(wire::encodeFrame(wire::FrameKind::kControl, uint32_t(wire::ControlType::kAnswer),
                            wire::answerPayload(secret, challenge, rank, own)));
  }

  /// Whether the server closed the connection (rather than sending more).
  bool closedByServer() {
    char byte;
    boost::system::error_code error;
    for (;;) {
      socket_.read_some(asio::buffer(&byte, 1), error);
      if (error) return error == asio::error::eof || error == asio::error::connection_reset;
    }
  }

 private:
  asio::io_context io_;
  tcp::socket socket_{io_};
};

enum class Attack { kSilent, kWrongSecret, kGarbage, kOversizedFrame, kBadChecksum };

struct AttackCase {
  Attack attack;
  const char* name;
  const char* reason;  ///< what the log must say
};

// A frame header written byte by byte, independently of the frame code.
std::string headerByHand(uint32_t type, uint32_t length, uint32_t crc) {
  std::string h = "EMBN";
  h += '\1';  // version
  h += '\1';  // control
  h += std::string(2, '\0');
  for (uint32_t v : {type, length, crc}) {
    for (int i = 0; i < 4; ++i) h += static_cast<char>((v >> (8 * i)) & 0xFF);
  }
  return h;
}

void runAttack(Attack attack, uint16_t port) {
  RawClient client(port);
  switch (attack) {
    case Attack::kSilent:
      break;
    case Attack::kWrongSecret:
      client.authenticate("not the secret", 1);
      break;
    case Attack::kGarbage:
      client.write(std::string(64, 'x'));
      break;
    case Attack::kOversizedFrame:
      client.authenticate(kSecret, 2);
      client.readPayload();  // the confirmation
      client.write(headerByHand(uint32_t(wire::ControlType::kIntroduce), 0x7FFFFFFF, 0));
      break;
    case Attack::kBadChecksum: {
      client.authenticate(kSecret, 2);
      client.readPayload();
      std::string frame =
          wire::encodeFrame(wire::FrameKind::kControl, uint32_t(wire::ControlType::kIntroduce),
                            wire::introductionPayload({kSize, {"127.0.0.1", 1}}));
      frame.back() ^= 0x01;
      client.write(frame);
      break;
    }
  }
  EXPECT_TRUE(client.closedByServer());
}

void waitForRefusals(const TcpTransport& t, size_t count) {
  const auto deadline = Clock::now() + kWait;
  while (t.refusedConnections() < count && Clock::now() < deadline)
    std::this_thread::sleep_for(5ms);
  ASSERT_EQ(t.refusedConnections(), count);
}

class TcpAttackTest : public ::testing::TestWithParam<AttackCase> {};

TEST_P(TcpAttackTest, IsRefusedLoggedAndCountedAndTheJobGoesOn) {
  std::vector<LogCapture> logs(kSize);
  std::vector<std::unique_ptr<Inbox>> inboxes;
  auto group = makeTcpGroup(logs);
  std::vector<Transport*> transports;
  for (auto& t : group) transports.push_back(t.get());
  connectInboxes(transports, inboxes);
  TcpTransport& driver = *group[0];

  // While the driver waits for its peers...
  auto driverStarted = std::async(std::launch::async, [&] { driver.start(); });
  runAttack(GetParam().attack, driver.localPort());
  waitForRefusals(driver, 1);
  EXPECT_NE(logs[0].all().find(GetParam().reason), std::string::npos) << logs[0].all();
  EXPECT_NE(logs[0].all().find("refused connection from 127.0.0.1:"), std::string::npos);

  startAll(std::vector<Transport*>{transports[1], transports[2]});
  driverStarted.get();
  exchangeBetweenAllPairs(transports, inboxes, 20);

  // ...and once the job has formed.
  runAttack(GetParam().attack, driver.localPort());
  waitForRefusals(driver, 2);
  exchangeBetweenAllPairs(transports, inboxes, 20, 20);
  for (auto& inbox : inboxes) EXPECT_TRUE(inbox->losses().empty());
}

INSTANTIATE_TEST_SUITE_P(
    Attacks, TcpAttackTest,
    ::testing::Values(AttackCase{Attack::kSilent, "Silent", "did not authenticate"},
                      AttackCase{Attack::kWrongSecret, "WrongSecret", "failed authentication"},
                      AttackCase{Attack::kGarbage, "Garbage", "bad frame magic"},
                      AttackCase{Attack::kOversizedFrame, "OversizedFrame", "exceeds the maximum"},
                      AttackCase{Attack::kBadChecksum, "BadChecksum", "checksum mismatch"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(TcpTransport, StartNamesTheRankThatDidNotJoin) {
  std::vector<LogCapture> logs(kSize);
  // The driver gives up first, so that what it names is rank 2's absence,
  // not rank 1 giving up on a slow (sanitized) machine.
  auto group = makeTcpGroup(
      logs, [](TcpTransport::Options& o) { o.joinTimeout = o.rank == 0 ? 700ms : 3000ms; });
  const auto began = Clock::now();
  std::vector<std::future<void>> started;
  for (int r : {0, 1}) {
    started.push_back(
        std::async(std::launch::async, [&, r] { group[static_cast<size_t>(r)]->start(); }));
  }
  for (size_t r = 0; r < started.size(); ++r) {
    try {
      started[r].get();
      ADD_FAILURE() << "start() returned without rank 2";
    } catch (const NetError& e) {
      // Rank 1 may see the driver give up and close before its own timeout.
      if (r == 0) {
        EXPECT_NE(std::string(e.what()).find("rank 2"), std::string::npos) << e.what();
      }
    }
  }
  EXPECT_LT(Clock::now() - began, 5s);
}

TEST(TcpTransport, APeerWithTheWrongSecretCannotJoin) {
  std::vector<LogCapture> logs(kSize);
  auto group = makeTcpGroup(logs, [](TcpTransport::Options& o) {
    o.joinTimeout = 2s;
    if (o.rank == 2) o.secret = "a different secret";
  });
  std::vector<std::future<void>> started;
  for (auto& t : group) started.push_back(std::async(std::launch::async, [&t] { t->start(); }));
  for (auto& f : started) EXPECT_THROW(f.get(), NetError);
  EXPECT_GE(group[0]->refusedConnections(), 1u);
  EXPECT_NE(logs[0].all().find("failed authentication"), std::string::npos) << logs[0].all();
}

TEST(TcpTransport, AMessageAboveTheFrameLimitIsRefusedBySend) {
  std::vector<LogCapture> logs(kSize);
  auto group = makeTcpGroup(logs, [](TcpTransport::Options& o) { o.maxFrameBytes = 1000; });
  startAll(std::vector<TcpTransport*>{group[0].get(), group[1].get(), group[2].get()});
  EXPECT_THROW(group[0]->send(1, {1, std::string(1001, 'x')}), NetError);
  EXPECT_NO_THROW(group[0]->send(1, {1, std::string(1000, 'x')}));
}

TEST(TcpTransport, BadOptionsAreConfigErrors) {
  LogCapture log;
  auto options = tcpOptions(0, 0, log);
  options.secret.clear();
  EXPECT_THROW(TcpTransport{options}, ConfigError);
  options = tcpOptions(3, 0, log);
  EXPECT_THROW(TcpTransport{options}, ConfigError);
}

}  // namespace
}  // namespace ember::net

// The wire frame and the handshake's payloads: what a reader accepts, and
// that each malformed input is refused with a message that says why.

#include "net/detail/frame.hpp"

#include <gtest/gtest.h>

#include <string>

#include "common/error.hpp"
#include "net/detail/handshake.hpp"
#include "net/detail/membership.hpp"

namespace ember::net::detail {
namespace {

FrameHeaderBytes headerOf(const std::string& frame) {
  FrameHeaderBytes h{};
  std::copy_n(frame.begin(), h.size(), h.begin());
  return h;
}

void expectNetError(const std::function<void()>& f, const std::string& words) {
  try {
    f();
    ADD_FAILURE() << "no NetError; expected one saying '" << words << "'";
  } catch (const NetError& e) {
    EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
  }
}

TEST(Frame, LayoutIsMagicVersionKindTypeLengthChecksumPayload) {
  const std::string frame = encodeFrame(FrameKind::kMessage, 0x01020304, "hello");
  ASSERT_EQ(frame.size(), kFrameHeaderSize + 5);
  EXPECT_EQ(frame.substr(0, 4), "EMBN");
  EXPECT_EQ(frame[4], 1);
  EXPECT_EQ(frame[5], 0);
  EXPECT_EQ(frame.substr(8, 4), std::string("\x04\x03\x02\x01", 4));
  EXPECT_EQ(frame.substr(12, 4), std::string("\x05\0\0\0", 4));
  // crc32c("hello") = 0x9a71bb4c, as published CRC-32C calculators give it.
  EXPECT_EQ(frame.substr(16, 4), std::string("\x4c\xbb\x71\x9a", 4));
  EXPECT_EQ(frame.substr(20), "hello");
}

TEST(Frame, AGoodFrameParsesAndChecks) {
  const std::string frame = encodeFrame(FrameKind::kControl, 9, "payload");
  const FrameHeader h = parseFrameHeader(headerOf(frame), 100);
  EXPECT_EQ(h.kind, FrameKind::kControl);
  EXPECT_EQ(h.type, 9u);
  EXPECT_EQ(h.length, 7u);
  EXPECT_NO_THROW(checkFramePayload(h, frame.substr(kFrameHeaderSize)));
}

TEST(Frame, BadMagicVersionKindLengthAndChecksumAreRefused) {
  const std::string good = encodeFrame(FrameKind::kMessage, 1, "0123456789");
  auto mutated = [&](size_t at, char value) {
    std::string f = good;
    f[at] = value;
    return headerOf(f);
  };
  expectNetError([&] { parseFrameHeader(mutated(0, 'X'), 100); }, "bad frame magic");
  expectNetError([&] { parseFrameHeader(mutated(4, 2), 100); }, "unsupported frame version 2");
  expectNetError([&] { parseFrameHeader(mutated(5, 7), 100); }, "unknown frame kind 7");
  expectNetError([&] { parseFrameHeader(headerOf(good), 9); },
                 "frame of 10 bytes exceeds the maximum of 9 bytes");
  const FrameHeader h = parseFrameHeader(headerOf(good), 10);
  expectNetError([&] { checkFramePayload(h, "0123456788"); }, "checksum mismatch");
}

TEST(Handshake, ProofsVerifyOnlyWithTheSecretAndNonceTheyWereMadeFor) {
  const Nonce challenge = randomNonce();
  const Nonce clientNonce = randomNonce();
  EXPECT_NE(challenge, clientNonce);
  const Proof answer = parseAnswer(answerPayload("secret", challenge, 2, clientNonce));
  EXPECT_EQ(answer.rank, 2);
  EXPECT_EQ(answer.nonce, clientNonce);
  EXPECT_TRUE(verifyAnswer("secret", challenge, answer));
  EXPECT_FALSE(verifyAnswer("other", challenge, answer));
  EXPECT_FALSE(verifyAnswer("secret", randomNonce(), answer));
  Proof otherRank = answer;
  otherRank.rank = 1;
  EXPECT_FALSE(verifyAnswer("secret", challenge, otherRank));

  const Proof confirm = parseConfirm(confirmPayload("secret", clientNonce, 0));
  EXPECT_EQ(confirm.rank, 0);
  EXPECT_TRUE(verifyConfirm("secret", clientNonce, confirm));
  EXPECT_FALSE(verifyConfirm("other", clientNonce, confirm));
  // The two directions use different labels: an answer is no confirmation.
  const Proof reflected{answer.rank, {}, answer.mac};
  EXPECT_FALSE(verifyConfirm("secret", challenge, reflected));
}

TEST(Handshake, MalformedPayloadsAreRefused) {
  expectNetError([] { parseChallenge("short"); }, "malformed challenge");
  expectNetError([] { parseAnswer(std::string(10, 'a')); }, "malformed handshake answer");
  expectNetError([] { parseConfirm(std::string(100, 'a')); }, "malformed handshake confirmation");
}

TEST(Membership, TablesRoundTripAndTruncationsAreRefused) {
  const std::vector<Address> members{{"", 0}, {"10.0.0.1", 4000}, {"host-b", 65535}};
  const auto parsed = parseMembers(membersPayload(members), 3);
  ASSERT_EQ(parsed.size(), 3u);
  EXPECT_EQ(parsed[1].host, "10.0.0.1");
  EXPECT_EQ(parsed[2].port, 65535);
  const std::string payload = membersPayload(members);
  expectNetError([&] { parseMembers(payload.substr(0, payload.size() - 1), 3); }, "truncated");
  expectNetError([&] { parseMembers(payload, 4); }, "lists 3 processes");
  const Introduction intro = parseIntroduction(introductionPayload({3, {"h", 7}}));
  EXPECT_EQ(intro.size, 3);
  EXPECT_EQ(intro.listen.host, "h");
  EXPECT_EQ(intro.listen.port, 7);
}

}  // namespace
}  // namespace ember::net::detail

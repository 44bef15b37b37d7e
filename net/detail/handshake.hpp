#pragma once
// The mutual challenge-response that opens every connection, as pure
// functions over payloads so that the transport (asynchronous) and tests
// (blocking sockets) run the same code.
//
//   accepting side A                          connecting side C
//   Challenge: nonceA                  ->
//                                      <-     Answer: rankC, nonceC,
//                                               HMAC(secret, "connect" || nonceA || rankC)
//   Confirm: rankA,                    ->
//     HMAC(secret, "accept" || nonceC || rankA)
//
// Each side proves that it holds the secret over a nonce the other side just
// drew, so neither a recorded answer nor one side's own message (the labels
// differ) can be replayed.

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace ember::net::detail {

inline constexpr size_t kNonceSize = 32;
inline constexpr size_t kMacSize = 32;  // HMAC-SHA256
/// Bound on a handshake frame's payload: nothing larger is read from a peer
/// that has not authenticated.
inline constexpr size_t kMaxHandshakePayload = 128;

using Nonce = std::array<unsigned char, kNonceSize>;

/// A nonce from OpenSSL's CSPRNG; throws NetError if it has no entropy.
Nonce randomNonce();

/// The accepting side's first payload.
std::string challengePayload(const Nonce& nonce);
/// Throws NetError unless `payload` is a challenge.
Nonce parseChallenge(std::string_view payload);

/// What each side claims: its rank, and the MAC proving it holds the secret.
struct Proof {
  int rank = -1;
  Nonce nonce{};  ///< the connecting side's nonce (unused in a Confirm)
  std::array<unsigned char, kMacSize> mac{};
};

/// The connecting side's answer to `challenge`.
std::string answerPayload(std::string_view secret, const Nonce& challenge, int rank,
                          const Nonce& ownNonce);
Proof parseAnswer(std::string_view payload);
/// Whether `answer` was made with `secret` over `challenge` (constant time).
bool verifyAnswer(std::string_view secret, const Nonce& challenge, const Proof& answer);

/// The accepting side's proof over the connecting side's nonce.
std::string confirmPayload(std::string_view secret, const Nonce& answerNonce, int rank);
Proof parseConfirm(std::string_view payload);
bool verifyConfirm(std::string_view secret, const Nonce& answerNonce, const Proof& confirm);

}  // namespace ember::net::detail

#include "net/detail/handshake.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <cstdint>
#include <cstring>

#include "common/error.hpp"

namespace ember::net::detail {
namespace {

using Mac = std::array<unsigned char, kMacSize>;

constexpr std::string_view kConnectLabel = "ember connect v1";
constexpr std::string_view kAcceptLabel = "ember accept v1";
constexpr size_t kRankSize = 4;

void appendRank(std::string& out, int rank) {
  const auto r = static_cast<uint32_t>(rank);
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((r >> (8 * i)) & 0xFF));
}

int loadRank(std::string_view in) {
  uint32_t r = 0;
  for (int i = 0; i < 4; ++i)
    r |= static_cast<uint32_t>(static_cast<unsigned char>(in[i])) << (8 * i);
  return r > INT32_MAX ? -1 : static_cast<int>(r);
}

std::string_view view(const auto& bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

template <size_t N>
std::array<unsigned char, N> loadBytes(std::string_view in) {
  std::array<unsigned char, N> out;
  std::memcpy(out.data(), in.data(), N);
  return out;
}

Mac hmac(std::string_view secret, std::string_view label, const Nonce& nonce, int rank) {
  std::string message(label);
  message.append(view(nonce));
  appendRank(message, rank);
  Mac mac{};
  unsigned int length = 0;
  if (HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
           reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac.data(),
           &length) == nullptr ||
      length != kMacSize) {
    throw NetError("HMAC-SHA256 failed in OpenSSL");
  }
  return mac;
}

void expectSize(std::string_view payload, size_t size, const char* what) {
  if (payload.size() != size) {
    throw NetError(std::string("malformed ") + what + " (" + std::to_string(payload.size()) +
                   " bytes, expected " + std::to_string(size) + ")");
  }
}

bool sameMac(const Mac& a, const Mac& b) {
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

Nonce randomNonce() {
  Nonce nonce{};
  if (RAND_bytes(nonce.data(), static_cast<int>(nonce.size())) != 1) {
    throw NetError("cannot draw a random nonce: OpenSSL's random generator has no entropy");
  }
  return nonce;
}

std::string challengePayload(const Nonce& nonce) { return std::string(view(nonce)); }

Nonce parseChallenge(std::string_view payload) {
  expectSize(payload, kNonceSize, "challenge");
  return loadBytes<kNonceSize>(payload);
}

std::string answerPayload(std::string_view secret, const Nonce& challenge, int rank,
                          const Nonce& ownNonce) {
  std::string out;
  appendRank(out, rank);
  out.append(view(ownNonce));
  out.append(view(hmac(secret, kConnectLabel, challenge, rank)));
  return out;
}

Proof parseAnswer(std::string_view payload) {
  expectSize(payload, kRankSize + kNonceSize + kMacSize, "handshake answer");
  return {loadRank(payload), loadBytes<kNonceSize>(payload.substr(kRankSize)),
          loadBytes<kMacSize>(payload.substr(kRankSize + kNonceSize))};
}

bool verifyAnswer(std::string_view secret, const Nonce& challenge, const Proof& answer) {
  return sameMac(answer.mac, hmac(secret, kConnectLabel, challenge, answer.rank));
}

std::string confirmPayload(std::string_view secret, const Nonce& answerNonce, int rank) {
  std::string out;
  appendRank(out, rank);
  out.append(view(hmac(secret, kAcceptLabel, answerNonce, rank)));
  return out;
}

Proof parseConfirm(std::string_view payload) {
  expectSize(payload, kRankSize + kMacSize, "handshake confirmation");
  return {loadRank(payload), Nonce{}, loadBytes<kMacSize>(payload.substr(kRankSize))};
}

bool verifyConfirm(std::string_view secret, const Nonce& answerNonce, const Proof& confirm) {
  return sameMac(confirm.mac, hmac(secret, kAcceptLabel, answerNonce, confirm.rank));
}

}  // namespace ember::net::detail

// crc32c: known CRC-32C vectors for both implementations, and continuation.

#include "common/crc32c.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "common/detail/crc32c_impl.hpp"

namespace ember {
namespace {

using Crc = uint32_t (*)(const void*, size_t, uint32_t);

struct Impl {
  const char* name;
  Crc crc;
  bool available;
};

std::vector<Impl> implementations() {
  return {{"software", &detail::crc32cSoftware, true},
          {"sse4.2", &detail::crc32cSse42, detail::cpuHasSse42()},
          {"dispatch", [](const void* d, size_t n, uint32_t s) { return crc32c(d, n, s); }, true}};
}

// Vectors from RFC 3720 (iSCSI), appendix B.4, and the classic check value.
TEST(Crc32c, MatchesKnownVectors) {
  std::string ascending, descending;
  for (int i = 0; i < 32; ++i) {
    ascending += static_cast<char>(i);
    descending += static_cast<char>(31 - i);
  }
  const std::string zeros(32, '\0');
  const std::string ones(32, '\xff');
  const std::string check = "123456789";
  for (const Impl& impl : implementations()) {
    if (!impl.available) continue;
    SCOPED_TRACE(impl.name);
    EXPECT_EQ(impl.crc(check.data(), check.size(), 0), 0xE3069283u);
    EXPECT_EQ(impl.crc(zeros.data(), zeros.size(), 0), 0x8A9136AAu);
    EXPECT_EQ(impl.crc(ones.data(), ones.size(), 0), 0x62A8AB43u);
    EXPECT_EQ(impl.crc(ascending.data(), ascending.size(), 0), 0x46DD794Eu);
    EXPECT_EQ(impl.crc(descending.data(), descending.size(), 0), 0x113FDB5Cu);
    EXPECT_EQ(impl.crc("", 0, 0), 0u);
    EXPECT_EQ(impl.crc("a", 1, 0), 0xC1D04330u);
  }
}

TEST(Crc32c, HardwarePathIsUsedWhereAvailable) {
  if (!detail::cpuHasSse42()) GTEST_SKIP() << "this CPU has no SSE4.2";
  const std::string check = "123456789";
  EXPECT_EQ(detail::crc32cSse42(check.data(), check.size(), 0), 0xE3069283u);
}

TEST(Crc32c, ImplementationsAgreeOnEveryLengthAndAlignment) {
  std::mt19937 random(7);
  std::string data(600, '\0');
  for (char& c : data) c = static_cast<char>(random());
  const std::vector<Impl> impls = implementations();
  for (size_t start = 0; start < 8; ++start) {
    for (size_t n = 0; n + start <= 300; ++n) {
      const uint32_t expected = detail::crc32cSoftware(data.data() + start, n, 0x1234);
      for (const Impl& impl : impls) {
        if (impl.available) {
          ASSERT_EQ(impl.crc(data.data() + start, n, 0x1234), expected)
              << impl.name << " start " << start << " length " << n;
        }
      }
    }
  }
}

TEST(Crc32c, ASeedContinuesAChecksum) {
  std::string data(1000, '\0');
  std::mt19937 random(11);
  for (char& c : data) c = static_cast<char>(random());
  const uint32_t whole = crc32c(data.data(), data.size());
  for (size_t split = 0; split <= data.size(); split += 37) {
    const uint32_t first = crc32c(data.data(), split);
    EXPECT_EQ(crc32c(data.data() + split, data.size() - split, first), whole) << split;
  }
  EXPECT_NE(crc32c(data.data(), data.size(), 1), whole);
}

TEST(Crc32c, DetectsASingleFlippedBit) {
  std::string data(4096, 'x');
  const uint32_t before = crc32c(data.data(), data.size());
  data[1234] ^= 0x10;
  EXPECT_NE(crc32c(data.data(), data.size()), before);
}

}  // namespace
}  // namespace ember

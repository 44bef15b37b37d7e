// Block frames: the header layout, codecs, and every check on damaged frames.

#include "storage/block_frame.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/mman.h>

#include <cstdint>
#include <cstring>
#include <random>
#include <string>

#include "common/crc32c.hpp"
#include "common/error.hpp"

namespace ember {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr std::string_view kBlock = "shuffle 3 map 5 reduce 2";

std::string frameOf(std::string_view payload, Codec codec) {
  std::string out;
  encodeFrame(payload, codec, out);
  return out;
}

uint32_t load32(const std::string& s, size_t at) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = v << 8 | static_cast<unsigned char>(s[at + i]);
  return v;
}

void store32(std::string& s, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) s[at + i] = static_cast<char>(v >> (8 * i));
}

/// Recomputes the header checksum, as a writer with a bug (not damage) would.
void resealHeader(std::string& frame) { store32(frame, 20, crc32c(frame.data(), 20)); }

std::string compressible(size_t n) {
  std::string s;
  while (s.size() < n)
    s += "the quick brown fox jumps over the lazy dog " + std::to_string(s.size() % 97);
  s.resize(n);
  return s;
}

std::string incompressible(size_t n) {
  std::mt19937_64 random(3);
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>(random());
  return s;
}

std::string decodeError(const std::string& frame) {
  std::string payload = "untouched";
  try {
    decodeFrame(frame, payload, kBlock);
  } catch (const CorruptBlockError& e) {
    EXPECT_EQ(payload, "untouched") << "the payload changed before the checks passed";
    return e.what();
  }
  ADD_FAILURE() << "no CorruptBlockError";
  return "";
}

TEST(BlockFrame, HeaderLayoutIsFixed) {
  const std::string frame = frameOf("hello", Codec::kNone);
  ASSERT_EQ(frame.size(), kFrameHeaderSize + 5);
  EXPECT_EQ(kFrameHeaderSize, 24u);
  EXPECT_EQ(frame.substr(0, 4), "EMBF");
  EXPECT_EQ(frame[4], 1);  // version
  EXPECT_EQ(frame[5], 0);  // codec: none
  EXPECT_EQ(frame[6], 0);
  EXPECT_EQ(frame[7], 0);
  EXPECT_EQ(load32(frame, 8), 5u);   // raw size
  EXPECT_EQ(load32(frame, 12), 5u);  // stored size
  EXPECT_EQ(load32(frame, 16), crc32c("hello", 5));
  EXPECT_EQ(load32(frame, 20), crc32c(frame.data(), 20));
  EXPECT_EQ(frame.substr(24), "hello");
}

TEST(BlockFrame, RoundTripsWithEitherCodec) {
  for (Codec codec : {Codec::kNone, Codec::kLz4}) {
    for (const std::string& payload :
         {std::string(), std::string("x"), compressible(100000), incompressible(5000)}) {
      const std::string frame = frameOf(payload, codec);
      std::string back = "stale";
      EXPECT_EQ(frameSize(frame, kBlock), frame.size());
      EXPECT_EQ(decodeFrame(frame, back, kBlock), frame.size());
      EXPECT_EQ(back, payload);
    }
  }
}

TEST(BlockFrame, Lz4ShrinksCompressibleDataAndStoresTheRestRaw) {
  const std::string text = compressible(100000);
  const std::string packed = frameOf(text, Codec::kLz4);
  EXPECT_EQ(packed[5], 1);  // codec: lz4
  EXPECT_EQ(load32(packed, 8), text.size());
  EXPECT_LT(packed.size(), text.size() / 4);
  EXPECT_EQ(load32(packed, 12), packed.size() - kFrameHeaderSize);

  const std::string noise = incompressible(5000);
  const std::string raw = frameOf(noise, Codec::kLz4);
  EXPECT_EQ(raw[5], 0);  // stored raw: lz4 would have grown it
  EXPECT_EQ(raw.size(), kFrameHeaderSize + noise.size());
}

TEST(BlockFrame, FramesFollowEachOther) {
  std::string stream;
  encodeFrame("first", Codec::kNone, stream);
  encodeFrame(compressible(5000), Codec::kLz4, stream);
  encodeFrame("", Codec::kLz4, stream);
  std::string payload;
  size_t at = 0;
  at += decodeFrame(std::string_view(stream).substr(at), payload, kBlock);
  EXPECT_EQ(payload, "first");
  at += decodeFrame(std::string_view(stream).substr(at), payload, kBlock);
  EXPECT_EQ(payload, compressible(5000));
  at += decodeFrame(std::string_view(stream).substr(at), payload, kBlock);
  EXPECT_EQ(payload, "");
  EXPECT_EQ(at, stream.size());
}

TEST(BlockFrame, AFlippedPayloadByteIsAChecksumMismatchNamingTheBlock) {
  for (Codec codec : {Codec::kNone, Codec::kLz4}) {
    std::string frame = frameOf(compressible(4000), codec);
    frame[kFrameHeaderSize + 17] ^= 0x01;
    EXPECT_THAT(decodeError(frame),
                AllOf(StartsWith("shuffle 3 map 5 reduce 2: checksum mismatch: stored 0x"),
                      HasSubstr(", computed 0x"),
                      HasSubstr("the block was damaged on disk or in transit")));
  }
}

TEST(BlockFrame, TruncationIsReported) {
  const std::string frame = frameOf("some payload", Codec::kNone);
  EXPECT_THAT(
      decodeError(frame.substr(0, 10)),
      AllOf(StartsWith("shuffle 3 map 5 reduce 2: truncated header"), HasSubstr("10 of 24 bytes")));
  EXPECT_THAT(decodeError(frame.substr(0, frame.size() - 1)),
              AllOf(StartsWith("shuffle 3 map 5 reduce 2: truncated payload"),
                    HasSubstr("11 of 12 stored bytes")));
  EXPECT_THROW(frameSize(frame.substr(0, 23), kBlock), CorruptBlockError);
}

TEST(BlockFrame, BadMagicVersionAndHeaderAreReported) {
  std::string frame = frameOf("payload", Codec::kNone);
  std::string magic = frame;
  magic[0] = 'X';
  EXPECT_THAT(decodeError(magic), AllOf(HasSubstr("bad magic"), HasSubstr("not an ember block")));
  std::string version = frame;
  version[4] = 2;
  EXPECT_THAT(decodeError(version),
              AllOf(HasSubstr("unknown version: 2"), HasSubstr("reads version 1")));
  // A flipped size is caught by the header checksum, before it is used.
  std::string size = frame;
  size[12] ^= 0x40;
  EXPECT_THAT(decodeError(size), HasSubstr("header checksum mismatch"));
  EXPECT_THROW(frameSize(size, kBlock), CorruptBlockError);
}

TEST(BlockFrame, ChecksTheFieldsEvenUnderAValidHeaderChecksum) {
  const std::string frame = frameOf("payload", Codec::kNone);
  std::string codec = frame;
  codec[5] = 9;
  resealHeader(codec);
  EXPECT_THAT(decodeError(codec), HasSubstr("unknown codec: 9"));

  std::string huge = frame;
  store32(huge, 8, 0xFFFFFFF0u);
  store32(huge, 12, 0xFFFFFFF0u);
  resealHeader(huge);
  EXPECT_THAT(decodeError(huge), AllOf(HasSubstr("size over limit"), HasSubstr("4294967280")));
  EXPECT_THROW(frameSize(huge, kBlock), CorruptBlockError);

  std::string mismatch = frame;
  store32(mismatch, 8, 3);  // raw size differs from stored size without compression
  resealHeader(mismatch);
  EXPECT_THAT(decodeError(mismatch), HasSubstr("size mismatch"));
}

TEST(BlockFrame, BadLz4DataIsReported) {
  const std::string text = compressible(50000);
  std::string frame = frameOf(text, Codec::kLz4);
  ASSERT_EQ(frame[5], 1);
  // Damage the compressed stream, then make the checksums agree, as a buggy
  // writer would: lz4 itself must refuse it.
  std::string garbled = frame;
  for (size_t i = kFrameHeaderSize; i < garbled.size(); i += 7) garbled[i] = '\xff';
  store32(garbled, 16,
          crc32c(garbled.data() + kFrameHeaderSize, garbled.size() - kFrameHeaderSize));
  resealHeader(garbled);
  // A raw size that does not match what the stream decodes to.
  std::string wrongSize = frame;
  store32(wrongSize, 8, static_cast<uint32_t>(text.size() + 100));
  resealHeader(wrongSize);
  for (const std::string& bad : {garbled, wrongSize}) {
    std::string payload;
    try {
      decodeFrame(bad, payload, kBlock);
      ADD_FAILURE() << "decoded a bad lz4 frame";
    } catch (const CorruptBlockError& e) {
      EXPECT_THAT(e.what(), AllOf(StartsWith("shuffle 3 map 5 reduce 2: lz4 decode failed"),
                                  HasSubstr("damaged")));
    }
  }
}

TEST(BlockFrame, RefusesToEncodeAPayloadOverTheLimit) {
  // An inaccessible mapping: encodeFrame must refuse it before reading it.
  const size_t n = size_t{kMaxFrameBytes} + 1;
  void* region = ::mmap(nullptr, n, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  ASSERT_NE(region, MAP_FAILED);
  std::string out;
  EXPECT_THROW(encodeFrame(std::string_view(static_cast<const char*>(region), n), Codec::kLz4, out),
               Error);
  EXPECT_TRUE(out.empty());
  ::munmap(region, n);
}

}  // namespace
}  // namespace ember

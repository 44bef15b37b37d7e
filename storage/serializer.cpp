#include "storage/serializer.hpp"

#include <string>

namespace ember {

void ByteReader::fail(std::string_view problem) const {
  std::string message(what_);
  message += ": ";
  message += problem;
  message += " (at byte " + std::to_string(position()) + " of " + std::to_string(end_ - begin_) +
             "); the block is damaged or was written by a different build";
  throw CorruptBlockError(message);
}

void ByteReader::endedEarly(size_t wanted) const {
  fail("data ended early: needed " + std::to_string(wanted) + " bytes, " +
       std::to_string(remaining()) + " left");
}

void ByteReader::badCount(uint64_t count, size_t minElementBytes) const {
  fail("bad length: " + std::to_string(count) + " elements of at least " +
       std::to_string(minElementBytes) + " bytes cannot fit in the " + std::to_string(remaining()) +
       " bytes left");
}

uint64_t ByteReader::readLongVarint() {
  uint64_t value = 0;
  for (size_t i = 0; i < detail::kMaxVarintBytes; ++i) {
    if (pos_ == end_) fail("data ended early: in the middle of a varint");
    const auto byte = static_cast<unsigned char>(*pos_++);
    // The tenth byte holds bit 63 only.
    if (i == detail::kMaxVarintBytes - 1 && byte > 1) fail("bad varint: more than 64 bits");
    value |= uint64_t{byte & 0x7Fu} << (7 * i);
    if (byte < 0x80) return value;
  }
  fail("bad varint: more than 64 bits");
}

}  // namespace ember

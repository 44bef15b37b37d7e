#pragma once
// The serializer: how records become the bytes of shuffle blocks and spill
// files, and back.
//
// Supported, in this order of preference when a type matches several:
//  1. trivially copyable types (arithmetic, enums, plain structs), copied
//     byte for byte; raw pointers, string_view and span are refused, since
//     their bytes mean nothing in another process;
//  2. std::string, vector, pair, tuple, optional, variant, array, map,
//     multimap, set, multiset and their unordered forms, of supported types;
//  3. types with writeTo(ByteWriter&) const and readFrom(ByteReader&)
//     members, which write their own bytes (ember's columnar batches);
//  4. user types with a cereal serialize(Archive&) (or save/load) member or
//     free function, written through ember's own cereal archives;
//  5. user types with a Boost.Serialization serialize(Archive&, const unsigned
//     int), through Boost's binary archives. A serialize that takes a version
//     number is taken as Boost's, also when cereal would accept it.
//     A private serialize (with `friend class boost::serialization::access`)
//     cannot be detected: specialize ember::kBoostSerializable<T> to true.
// Anything else fails to compile with a message saying what to add.
//
// The format is for processes running the same build: values are stored in
// the machine's byte order and layout, lengths as LEB128 varints.

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"
#include "storage/detail/serde.hpp"

namespace ember {

/// Appends bytes to a string the caller owns (and may read or clear between
/// writes). Not thread-safe.
class ByteWriter {
 public:
  explicit ByteWriter(std::string& out) : out_(&out) {}

  void write(const void* data, size_t n) { out_->append(static_cast<const char*>(data), n); }

  /// Unsigned LEB128: seven bits a byte, low bits first; 1 byte below 128.
  void writeVarint(uint64_t v) {
    if (v < 0x80) {
      out_->push_back(static_cast<char>(v));
      return;
    }
    char bytes[detail::kMaxVarintBytes];
    size_t n = 0;
    for (; v >= 0x80; v >>= 7) bytes[n++] = static_cast<char>(v | 0x80);
    bytes[n++] = static_cast<char>(v);
    out_->append(bytes, n);
  }

  /// Makes room for `bytes` more without reallocating.
  void reserve(size_t bytes) { out_->reserve(out_->size() + bytes); }

  std::string& buffer() { return *out_; }

 private:
  std::string* out_;
};

/// Reads a byte range front to back, never past its end: every read that
/// would overrun throws CorruptBlockError naming the block, as does any
/// length that cannot fit in what is left. The bytes and `what` must outlive
/// the reader. Not thread-safe.
class ByteReader {
 public:
  /// `what` names the block in error messages ("shuffle 3 map 5 reduce 2");
  /// it must outlive the reader, which keeps a view of it.
  ByteReader(std::string_view bytes, std::string_view what)
      : begin_(bytes.data()), pos_(bytes.data()), end_(bytes.data() + bytes.size()), what_(what) {}
  /// A temporary name would dangle before an error could quote it.
  template <class S>
  requires std::same_as<S, std::string> ByteReader(std::string_view bytes, S&& what)
  = delete;

  void read(void* data, size_t n) {
    if (n > remaining()) endedEarly(n);
    if (n != 0) std::memcpy(data, pos_, n);
    pos_ += n;
  }

  /// The next `n` bytes, in place.
  std::string_view readBytes(size_t n) {
    if (n > remaining()) endedEarly(n);
    const std::string_view bytes(pos_, n);
    pos_ += n;
    return bytes;
  }

  uint64_t readVarint() {
    if (pos_ != end_ && static_cast<unsigned char>(*pos_) < 0x80) {
      return static_cast<unsigned char>(*pos_++);
    }
    return readLongVarint();
  }

  /// A varint element count, checked against the bytes left given that each
  /// element takes at least `minElementBytes` (>= 1), so that a damaged count
  /// is reported instead of becoming a huge allocation.
  size_t readCount(size_t minElementBytes) {
    const uint64_t count = readVarint();
    if (count > remaining() / minElementBytes) badCount(count, minElementBytes);
    return static_cast<size_t>(count);
  }

  bool atEnd() const { return pos_ == end_; }
  size_t remaining() const { return static_cast<size_t>(end_ - pos_); }
  size_t position() const { return static_cast<size_t>(pos_ - begin_); }
  std::string_view what() const { return what_; }

  /// Throws CorruptBlockError "<what>: <problem> (at byte N of M); ...".
  [[noreturn]] void fail(std::string_view problem) const;

 private:
  [[noreturn]] void endedEarly(size_t wanted) const;
  [[noreturn]] void badCount(uint64_t count, size_t minElementBytes) const;
  uint64_t readLongVarint();

  const char* begin_;
  const char* pos_;
  const char* end_;
  std::string_view what_;
};

/// Whether ember can serialize T (see the top of this file).
template <class T>
inline constexpr bool kSerializable = detail::kSerdeSupported<T>;

template <class T>
void serialize(ByteWriter& w, const T& value) {
  detail::requireSerializable<T>();
  detail::writeValue(w, value);
}

/// Replaces `value` with the next value in `r`. Throws CorruptBlockError when
/// the bytes do not hold one.
template <class T>
void deserialize(ByteReader& r, T& value) {
  detail::requireSerializable<T>();
  detail::readValue(r, value);
}

/// A batch: a varint count, then the records; records whose bytes are their
/// serialized form (trivially copyable ones, pairs of them) in one memcpy.
template <class T>
void serializeBatch(ByteWriter& w, const T* records, size_t count) {
  detail::requireSerializable<T>();
  w.writeVarint(count);
  if constexpr (detail::kMemcpyLayout<T>) {
    w.write(records, count * sizeof(T));
  } else {
    size_t bytes = 0;
    for (size_t i = 0; i < count; ++i) bytes += detail::sizeHint(records[i]);
    w.reserve(bytes);
    for (size_t i = 0; i < count; ++i) detail::writeValue(w, records[i]);
  }
}

/// Appends the records of a batch written by serializeBatch to `out`. On
/// CorruptBlockError, `out` may hold some of the batch's records.
template <class T>
void deserializeBatch(ByteReader& r, std::vector<T>& out) {
  detail::requireSerializable<T>();
  const size_t count = r.readCount(detail::kMinEncodedBytes<T>);
  const size_t old = out.size();
  if constexpr (detail::kMemcpyLayout<T>) {
    const std::string_view bytes = r.readBytes(count * sizeof(T));
    out.resize(old + count);
    if (count != 0) std::memcpy(static_cast<void*>(out.data() + old), bytes.data(), bytes.size());
  } else {
    // Grow geometrically: a reader appending many small batches must not
    // reallocate for each.
    if (out.capacity() < old + count) out.reserve(std::max(old + count, 2 * out.capacity()));
    for (size_t i = 0; i < count; ++i) detail::readValue(r, out.emplace_back());
  }
}

}  // namespace ember

#pragma once
// Boost.Serialization's binary archives over ember's byte buffers, for user
// types that have a Boost serialize(Archive&, const unsigned int).
//
// Each value is its own archive, stored as a 4-byte little-endian length and
// the archive's bytes: the length bounds what Boost may read, so a damaged
// value cannot make it read into the next one. Sizes inside the archive are
// Boost's to check; the frame checksum catches damage before Boost sees it.

#include <cstdint>
#include <cstring>
#include <new>
#include <stdexcept>
#include <streambuf>
#include <string>
#include <string_view>

#include <boost/archive/archive_exception.hpp>
#include <boost/archive/binary_iarchive.hpp>
#include <boost/archive/binary_oarchive.hpp>

namespace ember::detail {

/// No archive header (each value would carry one) and no locale facets.
inline constexpr unsigned kBoostArchiveFlags =
    boost::archive::no_header | boost::archive::no_codecvt;

/// Bytes a value's length prefix takes.
inline constexpr size_t kBoostLengthBytes = 4;

/// A write-only stream buffer appending to a string.
class AppendStreambuf : public std::streambuf {
 public:
  explicit AppendStreambuf(std::string& out) : out_(&out) {}

 protected:
  int_type overflow(int_type c) override {
    if (!traits_type::eq_int_type(c, traits_type::eof()))
      out_->push_back(traits_type::to_char_type(c));
    return traits_type::not_eof(c);
  }
  std::streamsize xsputn(const char* data, std::streamsize n) override {
    out_->append(data, static_cast<size_t>(n));
    return n;
  }

 private:
  std::string* out_;
};

/// A read-only stream buffer over a byte range; reading stops at its end.
class ViewStreambuf : public std::streambuf {
 public:
  explicit ViewStreambuf(std::string_view bytes) {
    // streambuf wants char*, but a get area is only ever read.
    char* begin = const_cast<char*>(bytes.data());
    setg(begin, begin, begin + bytes.size());
  }
  size_t unread() const { return static_cast<size_t>(egptr() - gptr()); }
};

template <class Writer, class T>
void boostWrite(Writer& writer, const T& value) {
  std::string& out = writer.buffer();
  const size_t start = out.size();
  out.append(kBoostLengthBytes, '\0');
  {
    AppendStreambuf buffer(out);
    boost::archive::binary_oarchive archive(buffer, kBoostArchiveFlags);
    archive << value;
  }
  const uint64_t length = out.size() - start - kBoostLengthBytes;
  if (length > UINT32_MAX) {
    throw std::length_error("a Boost.Serialization archive of " + std::to_string(length) +
                            " bytes is too large for one record");
  }
  const unsigned char prefix[kBoostLengthBytes] = {
      static_cast<unsigned char>(length), static_cast<unsigned char>(length >> 8),
      static_cast<unsigned char>(length >> 16), static_cast<unsigned char>(length >> 24)};
  std::memcpy(out.data() + start, prefix, kBoostLengthBytes);
}

template <class Reader, class T>
void boostRead(Reader& reader, T& value) {
  unsigned char prefix[kBoostLengthBytes];
  reader.read(prefix, kBoostLengthBytes);
  const uint32_t length = uint32_t{prefix[0]} | uint32_t{prefix[1]} << 8 |
                          uint32_t{prefix[2]} << 16 | uint32_t{prefix[3]} << 24;
  ViewStreambuf buffer(reader.readBytes(length));
  try {
    boost::archive::binary_iarchive archive(buffer, kBoostArchiveFlags);
    archive >> value;
  } catch (const boost::archive::archive_exception& e) {
    reader.fail(std::string("Boost.Serialization could not read a value (") + e.what() + ")");
  } catch (const std::bad_alloc&) {
    reader.fail("Boost.Serialization ran out of memory reading a value (a damaged size?)");
  } catch (const std::length_error& e) {
    reader.fail(std::string("Boost.Serialization read a bad length (") + e.what() + ")");
  }
  if (buffer.unread() != 0) {
    reader.fail("Boost.Serialization read " + std::to_string(length - buffer.unread()) +
                " of the value's " + std::to_string(length) + " bytes");
  }
}

}  // namespace ember::detail

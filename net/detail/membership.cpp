#include "net/detail/membership.hpp"

#include "common/error.hpp"

namespace ember::net::detail {
namespace {

void put16(std::string& out, uint32_t v) {
  out.push_back(static_cast<char>(v & 0xFF));
  out.push_back(static_cast<char>((v >> 8) & 0xFF));
}

void putAddress(std::string& out, const Address& a) {
  put16(out, a.port);
  put16(out, static_cast<uint32_t>(a.host.size()));
  out.append(a.host);
}

// Reads the fields in order, throwing rather than reading past the end: the
// bytes come from the network.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}

  uint16_t get16() {
    const std::string_view b = take(2);
    return static_cast<uint16_t>(static_cast<unsigned char>(b[0]) |
                                 (static_cast<unsigned char>(b[1]) << 8));
  }

  Address address() {
    Address a;
    a.port = get16();
    a.host = std::string(take(get16()));
    return a;
  }

  void expectEnd() const {
    if (!in_.empty()) throw NetError("malformed membership frame: trailing bytes");
  }

 private:
  std::string_view take(size_t n) {
    if (in_.size() < n) throw NetError("malformed membership frame: truncated");
    const std::string_view b = in_.substr(0, n);
    in_.remove_prefix(n);
    return b;
  }

  std::string_view in_;
};

}  // namespace

std::string introductionPayload(const Introduction& introduction) {
  std::string out;
  put16(out, static_cast<uint32_t>(introduction.size));
  putAddress(out, introduction.listen);
  return out;
}

Introduction parseIntroduction(std::string_view payload) {
  Reader in(payload);
  Introduction introduction;
  introduction.size = in.get16();
  introduction.listen = in.address();
  in.expectEnd();
  return introduction;
}

std::string membersPayload(const std::vector<Address>& members) {
  std::string out;
  put16(out, static_cast<uint32_t>(members.size()));
  for (const Address& a : members) putAddress(out, a);
  return out;
}

std::vector<Address> parseMembers(std::string_view payload, int size) {
  Reader in(payload);
  const int count = in.get16();
  if (count != size) {
    throw NetError("the driver's table lists " + std::to_string(count) +
                   " processes, this process was told the job has " + std::to_string(size));
  }
  std::vector<Address> members(static_cast<size_t>(size));
  for (Address& a : members) a = in.address();
  in.expectEnd();
  return members;
}

}  // namespace ember::net::detail

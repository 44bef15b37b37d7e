#pragma once
// The payloads by which the processes of a job find each other: a process
// introduces itself to the one it connected to (the driver learns every
// listen address this way), and the driver sends everyone the table.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ember::net::detail {

/// Where a process listens for its peers.
struct Address {
  std::string host;
  uint16_t port = 0;
};

/// What a connecting process says once authenticated.
struct Introduction {
  int size = 0;  ///< the number of processes it believes the job has
  Address listen;
};

std::string introductionPayload(const Introduction& introduction);
/// Throws NetError when `payload` is not an introduction.
Introduction parseIntroduction(std::string_view payload);

/// The table of listen addresses, indexed by rank (rank 0's entry is unused).
std::string membersPayload(const std::vector<Address>& members);
/// Throws NetError unless `payload` is a table of exactly `size` addresses.
std::vector<Address> parseMembers(std::string_view payload, int size);

}  // namespace ember::net::detail

#pragma once
// KeyOrdering: how sortByKey orders (key, value) records, with a key prefix
// that lets a sort compare most records as integers.

#include <bit>
#include <concepts>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <type_traits>

namespace ember::detail {

/// An unsigned integer whose order is the order of `key` under `Compare`,
/// where ember knows one: the first 8 bytes of a string read big-endian
/// (std::string compares bytes as unsigned char), an integer with its sign
/// bit flipped. Keys with equal prefixes still need a full comparison.
template <class K, class Compare>
concept HasKeyPrefix = (std::same_as<Compare, std::less<>> ||
                        std::same_as<Compare, std::less<K>>)&&(std::same_as<K, std::string> ||
                                                               std::integral<K>);

template <class K>
uint64_t keyPrefix(const K& key) {
  if constexpr (std::same_as<K, std::string>) {
    unsigned char bytes[8] = {};
    std::memcpy(bytes, key.data(), key.size() < 8 ? key.size() : 8);
    uint64_t prefix = 0;
    for (unsigned char b : bytes) prefix = (prefix << 8) | b;
    return prefix;
  } else if constexpr (std::is_signed_v<K>) {
    return static_cast<uint64_t>(static_cast<int64_t>(key)) ^ (uint64_t{1} << 63);
  } else {
    return static_cast<uint64_t>(key);
  }
}

/// A reduce side that sorts each partition by key, as sortByKey and
/// repartitionAndSortWithinPartitions do.
template <class Compare>
struct KeyOrdering {
  Compare comp;
  bool ascending = true;

  template <class A, class B>
  bool operator()(const A& a, const B& b) const {
    return ascending ? comp(a.first, b.first) : comp(b.first, a.first);
  }

  /// The record's key prefix, inverted for a descending sort, so that a
  /// smaller prefix always sorts first.
  template <class Record>
  requires HasKeyPrefix<typename Record::first_type, Compare> uint64_t prefix(const Record& record)
  const {
    const uint64_t p = keyPrefix(record.first);
    return ascending ? p : ~p;
  }
};

}  // namespace ember::detail

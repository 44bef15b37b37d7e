#pragma once
// Inputs for the pair-RDD suites (skewed keys, a key of a user type) and the
// plain-loop answers they are checked against.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <ostream>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <boost/container_hash/hash.hpp>
#include <cereal/types/string.hpp>

namespace ember::testing {

template <class T>
std::vector<T> sorted(std::vector<T> v) {
  std::sort(v.begin(), v.end());
  return v;
}

/// n keys in [0, keys) drawn from a Zipf-like law of exponent s: key 0 is
/// the most frequent, key k about (k + 1)^-s as frequent. The same in every run.
inline std::vector<int> zipfKeys(int n, int keys, double s = 1.1, unsigned seed = 1) {
  std::vector<double> cdf;
  double total = 0;
  for (int k = 0; k < keys; ++k) cdf.push_back(total += std::pow(k + 1, -s));
  std::mt19937_64 gen(seed);
  std::uniform_real_distribution<double> u(0, total);
  std::vector<int> out;
  out.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    out.push_back(static_cast<int>(std::lower_bound(cdf.begin(), cdf.end(), u(gen)) - cdf.begin()));
  }
  return out;
}

/// (key, position) pairs over Zipf-like keys.
inline std::vector<std::pair<int, int64_t>> zipfRecords(int n, int keys, unsigned seed = 1) {
  std::vector<std::pair<int, int64_t>> out;
  const auto ks = zipfKeys(n, keys, 1.1, seed);
  for (int i = 0; i < n; ++i) out.emplace_back(ks[static_cast<size_t>(i)], i);
  return out;
}

/// A key of a user type: not trivially copyable, so it travels through its
/// cereal serialize(); hashed through hash_value, compared with ==.
struct UserKey {
  std::string name;
  int32_t shard = 0;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(name, shard);
  }
  friend bool operator==(const UserKey&, const UserKey&) = default;
  friend auto operator<=>(const UserKey&, const UserKey&) = default;
  friend size_t hash_value(const UserKey& k) {
    size_t h = boost::hash<std::string>{}(k.name);
    boost::hash_combine(h, k.shard);
    return h;
  }
  friend std::ostream& operator<<(std::ostream& out, const UserKey& k) {
    return out << k.name << "#" << k.shard;
  }
};

/// Every value of each key, values sorted: the plain groupByKey.
template <class K, class V>
std::map<K, std::vector<V>> plainGroups(const std::vector<std::pair<K, V>>& records) {
  std::map<K, std::vector<V>> groups;
  for (const auto& [k, v] : records) groups[k].push_back(v);
  for (auto& [k, vs] : groups) std::sort(vs.begin(), vs.end());
  return groups;
}

/// The sum of each key's values.
template <class K, class V>
std::map<K, int64_t> plainSums(const std::vector<std::pair<K, V>>& records) {
  std::map<K, int64_t> sums;
  for (const auto& [k, v] : records) sums[k] += static_cast<int64_t>(v);
  return sums;
}

/// Groups as ember returns them, as a map with each group's values sorted
/// (their order is not defined). A key returned twice is counted in
/// *duplicateKeys, when given, and keeps the values of both groups.
template <class K, class V>
std::map<K, std::vector<V>> asGroups(const std::vector<std::pair<K, std::vector<V>>>& groups,
                                     size_t* duplicateKeys = nullptr) {
  std::map<K, std::vector<V>> out;
  for (const auto& [k, vs] : groups) {
    auto [it, inserted] = out.try_emplace(k);
    if (!inserted && duplicateKeys) ++*duplicateKeys;
    it->second.insert(it->second.end(), vs.begin(), vs.end());
  }
  for (auto& [k, vs] : out) std::sort(vs.begin(), vs.end());
  return out;
}

/// Pairs as a map; counts keys seen twice in `duplicateKeys`.
template <class K, class V>
std::map<K, V> asMap(const std::vector<std::pair<K, V>>& pairs, size_t* duplicateKeys) {
  std::map<K, V> out;
  for (const auto& [k, v] : pairs) {
    if (!out.emplace(k, v).second) ++*duplicateKeys;
  }
  return out;
}

}  // namespace ember::testing

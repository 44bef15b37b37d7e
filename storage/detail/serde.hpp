#pragma once
// The body of storage/serializer.hpp: which of its ways each type takes, and
// the std types' formats. Functions are templates over the writer and reader
// (always ByteWriter and ByteReader) so that this header stands alone.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

#include "common/error.hpp"
#include "storage/detail/boost_archive.hpp"
#include "storage/detail/cereal_archive.hpp"

namespace ember {

/// Specialize to true for a type whose Boost.Serialization serialize member
/// is private (befriending boost::serialization::access), which ember cannot
/// see otherwise:
///   template <> inline constexpr bool ember::kBoostSerializable<Gps> = true;
template <class T>
inline constexpr bool kBoostSerializable = false;

}  // namespace ember

namespace ember::detail {

inline constexpr size_t kMaxVarintBytes = 10;

enum class SerdeKind { kNone, kBitwise, kStd, kOwn, kCereal, kBoost };

/// Trivially copyable types whose bytes are an address, meaningless in
/// another process or after the block outlives what they point to.
template <class T>
struct IsAddressLike : std::bool_constant<std::is_pointer_v<T> || std::is_member_pointer_v<T>> {};
template <class C, class Traits>
struct IsAddressLike<std::basic_string_view<C, Traits>> : std::true_type {};
template <class T, size_t N>
struct IsAddressLike<std::span<T, N>> : std::true_type {};
template <class T>
struct IsAddressLike<std::reference_wrapper<T>> : std::true_type {};
template <class T>
inline constexpr bool kAddressLike =
    IsAddressLike<std::remove_cv_t<std::remove_all_extents_t<T>>>::value;

/// The format of a std type; specialized below for each supported one.
/// kKnown tells ember's own types from the rest: a std type ember knows but
/// cannot serialize (a vector of pointers) must not fall through to cereal,
/// whose std support accepts any element type until its body is compiled.
template <class T>
struct StdSerde {
  static constexpr bool kKnown = false;
  static constexpr bool kSupported = false;
};

/// A type that writes and reads itself with ember's own byte streams: the
/// fast path of records that are whole blocks of data (columnar batches).
template <class T>
concept OwnSerialize = requires(const T& c, T& t, ByteWriter& w, ByteReader& r) {
  c.writeTo(w);
  t.readFrom(r);
};

template <class T>
concept CerealSerializable =
    cereal::traits::is_output_serializable<T, CerealOutput<ByteWriter>>::value &&
    cereal::traits::is_input_serializable<T, CerealInput<ByteReader>>::value;

// Boost's member serialize is a template over the archive, so asking for it
// with Boost's own archives checks only its signature, not its body.
template <class T>
concept BoostMemberSerialize = requires(T& t, boost::archive::binary_oarchive& out,
                                        boost::archive::binary_iarchive& in, const unsigned v) {
  t.serialize(out, v);
  t.serialize(in, v);
};

template <class T>
concept BoostFreeSerialize = requires(T& t, boost::archive::binary_oarchive& out,
                                      boost::archive::binary_iarchive& in, const unsigned v) {
  serialize(out, t, v);
  serialize(in, t, v);
};

template <class T>
consteval SerdeKind serdeKind() {
  if constexpr (std::is_const_v<T> || std::is_volatile_v<T> || std::is_reference_v<T> ||
                std::is_function_v<T> || std::is_void_v<T> || kAddressLike<T>) {
    return SerdeKind::kNone;
  } else if constexpr (std::is_trivially_copyable_v<T>) {
    return SerdeKind::kBitwise;
  } else if constexpr (StdSerde<T>::kKnown) {
    return StdSerde<T>::kSupported ? SerdeKind::kStd : SerdeKind::kNone;
  } else if constexpr (OwnSerialize<T>) {
    return SerdeKind::kOwn;
  } else {
    constexpr bool kBoost =
        kBoostSerializable<T> || BoostMemberSerialize<T> || BoostFreeSerialize<T>;
    if constexpr (CerealSerializable<T> && !kBoost) return SerdeKind::kCereal;
    if constexpr (kBoost) return SerdeKind::kBoost;
    return SerdeKind::kNone;
  }
}

template <class T>
inline constexpr bool kSerdeSupported = serdeKind<T>() != SerdeKind::kNone;

/// Whether T's serialized bytes are its bytes in memory, so that arrays of T
/// copy in one memcpy (trivially copyable types, pairs of them without
/// padding).
template <class T>
consteval bool memcpyLayout() {
  if constexpr (serdeKind<T>() == SerdeKind::kBitwise) {
    return true;
  } else if constexpr (serdeKind<T>() == SerdeKind::kStd) {
    return StdSerde<T>::kMemcpyLayout;
  } else {
    return false;
  }
}
template <class T>
inline constexpr bool kMemcpyLayout = memcpyLayout<T>();

/// The fewest bytes a T takes, to check element counts read from a block.
/// At least 1: cereal types are assumed to write something.
template <class T>
consteval size_t minEncodedBytes() {
  constexpr SerdeKind kind = serdeKind<T>();
  if constexpr (kind == SerdeKind::kBitwise) return sizeof(T);
  if constexpr (kind == SerdeKind::kStd) return StdSerde<T>::kMinBytes;
  if constexpr (kind == SerdeKind::kBoost) return kBoostLengthBytes;
  return 1;
}
template <class T>
inline constexpr size_t kMinEncodedBytes = minEncodedBytes<T>();

template <class T>
constexpr void requireSerializable() {
  static_assert(!kAddressLike<T>,
                "ember cannot serialize a pointer, string_view, span or reference_wrapper: its "
                "bytes are an address, meaningless in another process; store the value itself "
                "(e.g. std::string instead of std::string_view)");
  static_assert(kAddressLike<T> || kSerdeSupported<T>,
                "ember cannot serialize this type: give it a cereal serialize(Archive&) member "
                "(or save/load functions), a public Boost.Serialization serialize(Archive&, const "
                "unsigned int), or make it trivially copyable");
}

template <class W, class T>
void writeValue(W& w, const T& value) {
  constexpr SerdeKind kind = serdeKind<T>();
  if constexpr (kMemcpyLayout<T>) {
    w.write(std::addressof(value), sizeof(T));
  } else if constexpr (kind == SerdeKind::kStd) {
    StdSerde<T>::write(w, value);
  } else if constexpr (kind == SerdeKind::kOwn) {
    value.writeTo(w);
  } else if constexpr (kind == SerdeKind::kCereal) {
    CerealOutput<W> archive(w);
    archive(value);
  } else {
    static_assert(kind == SerdeKind::kBoost);
    boostWrite(w, value);
  }
}

template <class R, class T>
void readValue(R& r, T& value) {
  constexpr SerdeKind kind = serdeKind<T>();
  if constexpr (std::is_same_v<T, bool>) {
    // Any byte but 0 and 1 in a bool is undefined behaviour, not a value.
    unsigned char byte;
    r.read(&byte, 1);
    if (byte > 1) r.fail("bad bool " + std::to_string(byte));
    value = byte != 0;
  } else if constexpr (kMemcpyLayout<T>) {
    r.read(static_cast<void*>(std::addressof(value)), sizeof(T));
  } else if constexpr (kind == SerdeKind::kStd) {
    StdSerde<T>::read(r, value);
  } else if constexpr (kind == SerdeKind::kOwn) {
    value.readFrom(r);
  } else if constexpr (kind == SerdeKind::kCereal) {
    CerealInput<R> archive(r);
    try {
      archive(value);
    } catch (const cereal::Exception& e) {
      r.fail(std::string("cereal could not read a value (") + e.what() + ")");
    }
  } else {
    static_assert(kind == SerdeKind::kBoost);
    boostRead(r, value);
  }
}

/// About how many bytes `value` serializes to, to size a batch's buffer once.
template <class T>
size_t sizeHint(const T& value) {
  if constexpr (serdeKind<T>() == SerdeKind::kStd && !kMemcpyLayout<T>) {
    return StdSerde<T>::sizeHint(value);
  } else {
    return sizeof(T);
  }
}

// ---------------------------------------------------------------------------
// The std types. Unless said otherwise: no padding, no alignment, sizes and
// counts as varints, elements in order.

/// Strings: size, then the characters.
template <class C, class Traits, class A>
struct StdSerde<std::basic_string<C, Traits, A>> {
  using String = std::basic_string<C, Traits, A>;
  static constexpr bool kKnown = true;
  static constexpr bool kSupported = std::is_trivially_copyable_v<C>;
  static constexpr bool kMemcpyLayout = false;
  static constexpr size_t kMinBytes = 1;

  template <class W>
  static void write(W& w, const String& s) {
    w.writeVarint(s.size());
    w.write(s.data(), s.size() * sizeof(C));
  }
  template <class R>
  static void read(R& r, String& s) {
    const size_t n = r.readCount(sizeof(C));
    const std::string_view bytes = r.readBytes(n * sizeof(C));
    if constexpr (sizeof(C) == 1) {
      s.assign(reinterpret_cast<const C*>(bytes.data()), n);
    } else {
      s.resize(n);
      if (n != 0) std::memcpy(s.data(), bytes.data(), bytes.size());
    }
  }
  static size_t sizeHint(const String& s) { return 1 + s.size() * sizeof(C); }
};

/// Vectors: count, then the elements (one memcpy when their layout allows).
template <class T, class A>
struct StdSerde<std::vector<T, A>> {
  static constexpr bool kKnown = true;
  static constexpr bool kSupported = kSerdeSupported<T> && std::is_default_constructible_v<T>;
  static constexpr bool kMemcpyLayout = false;
  static constexpr size_t kMinBytes = 1;

  template <class W>
  static void write(W& w, const std::vector<T, A>& v) {
    w.writeVarint(v.size());
    if constexpr (detail::kMemcpyLayout<T>) {
      w.write(v.data(), v.size() * sizeof(T));
    } else {
      for (const T& e : v) writeValue(w, e);
    }
  }
  template <class R>
  static void read(R& r, std::vector<T, A>& v) {
    const size_t n = r.readCount(kMinEncodedBytes<T>);
    if constexpr (detail::kMemcpyLayout<T>) {
      const std::string_view bytes = r.readBytes(n * sizeof(T));
      v.resize(n);
      if (n != 0) std::memcpy(static_cast<void*>(v.data()), bytes.data(), bytes.size());
    } else {
      v.resize(n);  // keeps the elements' buffers for reuse
      for (T& e : v) readValue(r, e);
    }
  }
  static size_t sizeHint(const std::vector<T, A>& v) {
    if constexpr (detail::kMemcpyLayout<T>) return 1 + v.size() * sizeof(T);
    size_t bytes = 1;
    for (const T& e : v) bytes += detail::sizeHint(e);
    return bytes;
  }
};

/// vector<bool>: count, then the bits packed eight a byte, low bit first.
template <class A>
struct StdSerde<std::vector<bool, A>> {
  static constexpr bool kKnown = true;
  static constexpr bool kSupported = true;
  static constexpr bool kMemcpyLayout = false;
  static constexpr size_t kMinBytes = 1;

  template <class W>
  static void write(W& w, const std::vector<bool, A>& v) {
    w.writeVarint(v.size());
    std::string packed((v.size() + 7) / 8, '\0');
    for (size_t i = 0; i < v.size(); ++i) {
      if (v[i]) packed[i / 8] = static_cast<char>(packed[i / 8] | (1 << (i % 8)));
    }
    w.write(packed.data(), packed.size());
  }
  template <class R>
  static void read(R& r, std::vector<bool, A>& v) {
    const uint64_t n = r.readVarint();
    if (n / 8 > r.remaining())
      r.fail("bad length: a vector<bool> of " + std::to_string(n) + " bits");
    const std::string_view packed = r.readBytes(static_cast<size_t>((n + 7) / 8));
    v.assign(static_cast<size_t>(n), false);
    for (size_t i = 0; i < n; ++i)
      v[i] = (static_cast<unsigned char>(packed[i / 8]) >> (i % 8)) & 1;
  }
  static size_t sizeHint(const std::vector<bool, A>& v) { return 1 + v.size() / 8; }
};

/// Pairs: first, then second; a pair of memcpy-able halves without padding
/// is memcpy-able whole.
template <class A, class B>
struct StdSerde<std::pair<A, B>> {
  static constexpr bool kKnown = true;
  static constexpr bool kSupported = kSerdeSupported<A> && kSerdeSupported<B>;
  static constexpr bool kMemcpyLayout = detail::kMemcpyLayout<A> && detail::kMemcpyLayout<B> &&
                                        sizeof(std::pair<A, B>) == sizeof(A) + sizeof(B);
  static constexpr size_t kMinBytes = kMinEncodedBytes<A> + kMinEncodedBytes<B>;

  template <class W>
  static void write(W& w, const std::pair<A, B>& p) {
    writeValue(w, p.first);
    writeValue(w, p.second);
  }
  template <class R>
  static void read(R& r, std::pair<A, B>& p) {
    readValue(r, p.first);
    readValue(r, p.second);
  }
  static size_t sizeHint(const std::pair<A, B>& p) {
    return detail::sizeHint(p.first) + detail::sizeHint(p.second);
  }
};

/// Tuples: the elements in order (libstdc++ lays them out in reverse, so
/// never one memcpy).
template <class... Ts>
struct StdSerde<std::tuple<Ts...>> {
  static constexpr bool kKnown = true;
  static constexpr bool kSupported = (kSerdeSupported<Ts> && ...);
  static constexpr bool kMemcpyLayout = false;
  static constexpr size_t kMinBytes = (size_t{0} + ... + kMinEncodedBytes<Ts>);

  template <class W>
  static void write(W& w, const std::tuple<Ts...>& t) {
    std::apply([&w](const Ts&... e) { (writeValue(w, e), ...); }, t);
  }
  template <class R>
  static void read(R& r, std::tuple<Ts...>& t) {
    std::apply([&r](Ts&... e) { (readValue(r, e), ...); }, t);
  }
  static size_t sizeHint(const std::tuple<Ts...>& t) {
    return std::apply([](const Ts&... e) { return (size_t{0} + ... + detail::sizeHint(e)); }, t);
  }
};

/// Arrays not trivially copyable: the N elements, no count.
template <class T, size_t N>
struct StdSerde<std::array<T, N>> {
  static constexpr bool kKnown = true;
  static constexpr bool kSupported = kSerdeSupported<T>;
  static constexpr bool kMemcpyLayout =
      detail::kMemcpyLayout<T> && sizeof(std::array<T, N>) == N * sizeof(T);
  static constexpr size_t kMinBytes = N * kMinEncodedBytes<T> > 0 ? N* kMinEncodedBytes<T> : 1;

  template <class W>
  static void write(W& w, const std::array<T, N>& a) {
    for (const T& e : a) writeValue(w, e);
  }
  template <class R>
  static void read(R& r, std::array<T, N>& a) {
    for (T& e : a) readValue(r, e);
  }
  static size_t sizeHint(const std::array<T, N>& a) {
    size_t bytes = 0;
    for (const T& e : a) bytes += detail::sizeHint(e);
    return bytes;
  }
};

/// Optionals: a byte 0 (empty) or 1, then the value.
template <class T>
struct StdSerde<std::optional<T>> {
  static constexpr bool kKnown = true;
  static constexpr bool kSupported = kSerdeSupported<T> && std::is_default_constructible_v<T>;
  static constexpr bool kMemcpyLayout = false;
  static constexpr size_t kMinBytes = 1;

  template <class W>
  static void write(W& w, const std::optional<T>& o) {
    const unsigned char engaged = o.has_value() ? 1 : 0;
    w.write(&engaged, 1);
    if (o) writeValue(w, *o);
  }
  template <class R>
  static void read(R& r, std::optional<T>& o) {
    unsigned char engaged;
    r.read(&engaged, 1);
    if (engaged > 1) r.fail("bad optional flag " + std::to_string(engaged));
    if (engaged == 0) {
      o.reset();
      return;
    }
    if (!o) o.emplace();
    readValue(r, *o);
  }
  static size_t sizeHint(const std::optional<T>& o) { return 1 + (o ? detail::sizeHint(*o) : 0); }
};

/// Variants: the index of the alternative, then its value.
template <class... Ts>
struct StdSerde<std::variant<Ts...>> {
  using Variant = std::variant<Ts...>;
  static constexpr bool kKnown = true;
  static constexpr bool kSupported =
      ((kSerdeSupported<Ts> && std::is_default_constructible_v<Ts>)&&...);
  static constexpr bool kMemcpyLayout = false;
  static constexpr size_t kMinBytes = 1 + std::min({kMinEncodedBytes<Ts>...});

  template <class W>
  static void write(W& w, const Variant& v) {
    if (v.valueless_by_exception()) {
      throw Error("cannot serialize a std::variant left valueless by an exception");
    }
    w.writeVarint(v.index());
    std::visit([&w](const auto& alternative) { writeValue(w, alternative); }, v);
  }
  template <class R>
  static void read(R& r, Variant& v) {
    const uint64_t index = r.readVarint();
    if (index >= sizeof...(Ts)) {
      r.fail("bad variant index " + std::to_string(index) + " (the variant has " +
             std::to_string(sizeof...(Ts)) + " alternatives)");
    }
    readAlternative(r, v, static_cast<size_t>(index), std::index_sequence_for<Ts...>{});
  }
  static size_t sizeHint(const Variant& v) {
    if (v.valueless_by_exception()) return 1;
    return 1 + std::visit([](const auto& alternative) { return detail::sizeHint(alternative); }, v);
  }

 private:
  template <class R, size_t... I>
  static void readAlternative(R& r, Variant& v, size_t index, std::index_sequence<I...>) {
    ((index == I ? (readValue(r, v.template emplace<I>()), 0) : 0), ...);
  }
};

/// Maps: count, then key and value of each entry in iteration order.
template <class M>
struct MapSerde {
  using K = typename M::key_type;
  using V = typename M::mapped_type;
  static constexpr bool kKnown = true;
  static constexpr bool kSupported = kSerdeSupported<K> && kSerdeSupported<V> &&
                                     std::is_default_constructible_v<K> &&
                                     std::is_default_constructible_v<V>;
  static constexpr bool kMemcpyLayout = false;
  static constexpr size_t kMinBytes = 1;

  template <class W>
  static void write(W& w, const M& m) {
    w.writeVarint(m.size());
    for (const auto& [key, value] : m) {
      writeValue(w, key);
      writeValue(w, value);
    }
  }
  template <class R>
  static void read(R& r, M& m) {
    const size_t n = r.readCount(kMinEncodedBytes<K> + kMinEncodedBytes<V>);
    m.clear();
    if constexpr (requires { m.reserve(n); }) m.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      K key{};
      V value{};
      readValue(r, key);
      readValue(r, value);
      // Entries come in the order an ordered map iterates, so the end is
      // the right hint.
      m.emplace_hint(m.end(), std::move(key), std::move(value));
    }
  }
  static size_t sizeHint(const M& m) { return 1 + m.size() * (sizeof(K) + sizeof(V)); }
};

/// Sets: count, then the keys in iteration order.
template <class S>
struct SetSerde {
  using K = typename S::key_type;
  static constexpr bool kKnown = true;
  static constexpr bool kSupported = kSerdeSupported<K> && std::is_default_constructible_v<K>;
  static constexpr bool kMemcpyLayout = false;
  static constexpr size_t kMinBytes = 1;

  template <class W>
  static void write(W& w, const S& s) {
    w.writeVarint(s.size());
    for (const K& key : s) writeValue(w, key);
  }
  template <class R>
  static void read(R& r, S& s) {
    const size_t n = r.readCount(kMinEncodedBytes<K>);
    s.clear();
    if constexpr (requires { s.reserve(n); }) s.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      K key{};
      readValue(r, key);
      s.emplace_hint(s.end(), std::move(key));
    }
  }
  static size_t sizeHint(const S& s) { return 1 + s.size() * sizeof(K); }
};

template <class K, class V, class C, class A>
struct StdSerde<std::map<K, V, C, A>> : MapSerde<std::map<K, V, C, A>> {};
template <class K, class V, class C, class A>
struct StdSerde<std::multimap<K, V, C, A>> : MapSerde<std::multimap<K, V, C, A>> {};
template <class K, class V, class H, class E, class A>
struct StdSerde<std::unordered_map<K, V, H, E, A>> : MapSerde<std::unordered_map<K, V, H, E, A>> {};
template <class K, class V, class H, class E, class A>
struct StdSerde<std::unordered_multimap<K, V, H, E, A>>
    : MapSerde<std::unordered_multimap<K, V, H, E, A>> {};
template <class K, class C, class A>
struct StdSerde<std::set<K, C, A>> : SetSerde<std::set<K, C, A>> {};
template <class K, class C, class A>
struct StdSerde<std::multiset<K, C, A>> : SetSerde<std::multiset<K, C, A>> {};
template <class K, class H, class E, class A>
struct StdSerde<std::unordered_set<K, H, E, A>> : SetSerde<std::unordered_set<K, H, E, A>> {};
template <class K, class H, class E, class A>
struct StdSerde<std::unordered_multiset<K, H, E, A>>
    : SetSerde<std::unordered_multiset<K, H, E, A>> {};

}  // namespace ember::detail

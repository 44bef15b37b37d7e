// The serializer: byte layouts, round trips of every supported kind of type,
// the cereal and Boost.Serialization hand-offs, batches, and damaged input.

#include "storage/serializer.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <array>
#include <climits>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>
#include <cereal/types/map.hpp>
#include <cereal/types/string.hpp>
#include <cereal/types/vector.hpp>

#include "common/error.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

// User types, in their own namespace as users' types are.
namespace user {

enum class Color : uint8_t { kRed = 1, kGreen = 2 };

struct Point {  // trivially copyable: copied byte for byte
  int32_t x;
  int32_t y;
  bool operator==(const Point&) const = default;
};

struct CerealMember {
  std::string name;
  std::vector<int32_t> values;
  std::map<std::string, double> weights;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(name, values, CEREAL_NVP(weights));
  }
  bool operator==(const CerealMember&) const = default;
};

struct CerealFree {
  std::string label;
  int64_t count = 0;
  bool operator==(const CerealFree&) const = default;
};
template <class Archive>
void serialize(Archive& ar, CerealFree& v) {
  ar(v.label, v.count);
}

class CerealSplit {  // save/load, private, befriending cereal::access
 public:
  CerealSplit() = default;
  explicit CerealSplit(std::string s) : text_(std::move(s)) {}
  const std::string& text() const { return text_; }

 private:
  friend class cereal::access;
  template <class Archive>
  void save(Archive& ar) const {
    ar(text_);
  }
  template <class Archive>
  void load(Archive& ar) {
    ar(text_);
  }
  std::string text_;
};

struct BoostMember {
  std::string name;
  std::vector<int32_t> values;
  template <class Archive>
  void serialize(Archive& ar, const unsigned int /*version*/) {
    ar& name& values;
  }
  bool operator==(const BoostMember&) const = default;
};

struct BoostFree {
  std::string city;
  double population = 0;
  bool operator==(const BoostFree&) const = default;
};
template <class Archive>
void serialize(Archive& ar, BoostFree& v, const unsigned int /*version*/) {
  ar& v.city& v.population;
}

class BoostPrivate {  // the Boost tutorial's style: needs kBoostSerializable
 public:
  BoostPrivate() = default;
  explicit BoostPrivate(std::string s) : text_(std::move(s)) {}
  const std::string& text() const { return text_; }

 private:
  friend class boost::serialization::access;
  template <class Archive>
  void serialize(Archive& ar, const unsigned int /*version*/) {
    ar& text_;
  }
  std::string text_;
};

struct Unsupported {  // not trivially copyable, no serialize function
  std::string text;
};

}  // namespace user

template <>
inline constexpr bool ember::kBoostSerializable<user::BoostPrivate> = true;

namespace ember {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

using detail::SerdeKind;
using detail::serdeKind;

// Which way each type takes, and what is refused.
static_assert(serdeKind<int>() == SerdeKind::kBitwise);
static_assert(serdeKind<user::Point>() == SerdeKind::kBitwise);
static_assert(serdeKind<std::string>() == SerdeKind::kStd);
static_assert(serdeKind<std::pair<std::string, int>>() == SerdeKind::kStd);
static_assert(serdeKind<user::CerealMember>() == SerdeKind::kCereal);
static_assert(serdeKind<user::CerealFree>() == SerdeKind::kCereal);
static_assert(serdeKind<user::CerealSplit>() == SerdeKind::kCereal);
static_assert(serdeKind<user::BoostMember>() == SerdeKind::kBoost);
static_assert(serdeKind<user::BoostFree>() == SerdeKind::kBoost);
static_assert(serdeKind<user::BoostPrivate>() == SerdeKind::kBoost);
static_assert(!kSerializable<user::Unsupported>);
static_assert(!kSerializable<std::vector<user::Unsupported>>);
static_assert(!kSerializable<std::pair<int, user::Unsupported>>);
static_assert(!kSerializable<int*>);
static_assert(!kSerializable<const char*>);
static_assert(!kSerializable<std::string_view>);
static_assert(!kSerializable<std::span<int>>);
static_assert(!kSerializable<std::vector<int*>>);
static_assert(kSerializable<
              std::map<std::string, std::vector<std::optional<std::variant<int, std::string>>>>>);
// The memcpy fast path covers pairs without padding, and only those.
static_assert(detail::kMemcpyLayout<std::pair<int64_t, int64_t>>);
static_assert(!detail::kMemcpyLayout<std::pair<int64_t, int32_t>>);  // 4 bytes of padding
static_assert(!detail::kMemcpyLayout<std::pair<std::string, int64_t>>);

template <class T>
std::string bytesOf(const T& value) {
  std::string out;
  ByteWriter w(out);
  serialize(w, value);
  return out;
}

template <class T>
T roundTrip(const T& value) {
  const std::string bytes = bytesOf(value);
  ByteReader r(bytes, "test block");
  T back{};
  deserialize(r, back);
  EXPECT_TRUE(r.atEnd()) << r.remaining() << " bytes left unread";
  return back;
}

std::string hex(std::string_view bytes) {
  static const char* const kDigits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    if (!out.empty()) out += ' ';
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

template <class T>
std::string hexOf(const T& value) {
  return hex(bytesOf(value));
}

std::string varintHex(uint64_t v) {
  std::string out;
  ByteWriter(out).writeVarint(v);
  return hex(out);
}

TEST(Serializer, VarintsAreLeb128) {
  EXPECT_EQ(varintHex(0), "00");
  EXPECT_EQ(varintHex(1), "01");
  EXPECT_EQ(varintHex(127), "7f");
  EXPECT_EQ(varintHex(128), "80 01");
  EXPECT_EQ(varintHex(300), "ac 02");
  EXPECT_EQ(varintHex(16384), "80 80 01");
  EXPECT_EQ(varintHex(UINT64_MAX), "ff ff ff ff ff ff ff ff ff 01");
  for (uint64_t v : {uint64_t{0}, uint64_t{127}, uint64_t{128}, uint64_t{1} << 35, UINT64_MAX}) {
    std::string bytes;
    ByteWriter(bytes).writeVarint(v);
    ByteReader r(bytes, "varint");
    EXPECT_EQ(r.readVarint(), v);
    EXPECT_TRUE(r.atEnd());
  }
}

TEST(Serializer, FixesTheLayoutOfStdTypes) {
  static_assert(std::endian::native == std::endian::little, "the layouts below are little-endian");
  EXPECT_EQ(hexOf(int32_t{0x01020304}), "04 03 02 01");
  EXPECT_EQ(hexOf(user::Color::kGreen), "02");
  EXPECT_EQ(hexOf(true), "01");
  EXPECT_EQ(hexOf(std::string()), "00");
  EXPECT_EQ(hexOf(std::string("ab\0c", 4)), "04 61 62 00 63");
  EXPECT_EQ(hexOf(std::vector<int16_t>{1, -1}), "02 01 00 ff ff");
  EXPECT_EQ(hexOf(std::vector<std::string>{"a", ""}), "02 01 61 00");
  EXPECT_EQ(hexOf(std::pair<int64_t, int64_t>{1, 2}),
            "01 00 00 00 00 00 00 00 02 00 00 00 00 00 00 00");
  EXPECT_EQ(hexOf(std::pair<std::string, int8_t>{"k", 5}), "01 6b 05");
  EXPECT_EQ(hexOf(std::tuple<int8_t, std::string, int16_t>{1, "x", 2}), "01 01 78 02 00");
  EXPECT_EQ(hexOf(std::optional<std::string>()), "00");
  EXPECT_EQ(hexOf(std::optional<std::string>("z")), "01 01 7a");
  EXPECT_EQ(hexOf(std::variant<int8_t, std::string>("hi")), "01 02 68 69");
  EXPECT_EQ(hexOf(std::variant<int8_t, std::string>(int8_t{7})), "00 07");
  EXPECT_EQ(hexOf(std::array<std::string, 2>{"a", "b"}), "01 61 01 62");
  EXPECT_EQ(hexOf(std::map<std::string, int8_t>{{"b", 2}, {"a", 1}}), "02 01 61 01 01 62 02");
  EXPECT_EQ(hexOf(std::set<int8_t>{3, 1}), "02 01 03");
  // Bits packed low bit first: 1,0,1,1,0,0,0,0 | 1
  EXPECT_EQ(hexOf(std::vector<bool>{true, false, true, true, false, false, false, false, true}),
            "09 0d 01");
}

TEST(Serializer, RoundTripsScalarsAndPlainStructs) {
  EXPECT_EQ(roundTrip(int64_t{-1234567890123}), -1234567890123);
  EXPECT_EQ(roundTrip(uint8_t{255}), 255);
  EXPECT_EQ(roundTrip(3.25), 3.25);
  EXPECT_EQ(roundTrip(-0.5f), -0.5f);
  EXPECT_EQ(roundTrip(true), true);
  EXPECT_EQ(roundTrip(false), false);
  EXPECT_EQ(roundTrip(user::Color::kRed), user::Color::kRed);
  EXPECT_EQ(roundTrip(user::Point{-3, 7}), (user::Point{-3, 7}));
  EXPECT_EQ(roundTrip(std::optional<int>(5)), std::optional<int>(5));
  EXPECT_EQ(roundTrip(std::array<int, 3>{1, 2, 3}), (std::array<int, 3>{1, 2, 3}));
}

TEST(Serializer, RoundTripsStringsAndVectors) {
  EXPECT_EQ(roundTrip(std::string()), "");
  EXPECT_EQ(roundTrip(std::string("hello")), "hello");
  const std::string binary("\0\xff\x80 text\n", 9);
  EXPECT_EQ(roundTrip(binary), binary);
  const std::string big(100000, 'q');
  EXPECT_EQ(roundTrip(big), big);
  EXPECT_EQ(roundTrip(std::u16string(u"wide")), u"wide");
  EXPECT_EQ(roundTrip(std::vector<int>()), std::vector<int>());
  EXPECT_EQ(roundTrip(std::vector<double>{1.5, -2.5}), (std::vector<double>{1.5, -2.5}));
  EXPECT_EQ(roundTrip(std::vector<std::string>{"", "a", "bc"}),
            (std::vector<std::string>{"", "a", "bc"}));
  const std::vector<std::vector<std::string>> nested{{}, {"x"}, {"y", "", "zz"}};
  EXPECT_EQ(roundTrip(nested), nested);
  const std::vector<bool> bits{true, false, false, true, true, true, false, true, false, true};
  EXPECT_EQ(roundTrip(bits), bits);
  EXPECT_EQ(roundTrip(std::vector<bool>()), std::vector<bool>());
  const std::vector<std::pair<int64_t, int64_t>> pairs{{1, -1}, {INT64_MAX, INT64_MIN}};
  EXPECT_EQ(roundTrip(pairs), pairs);
}

TEST(Serializer, RoundTripsPairsTuplesOptionalsAndVariants) {
  using Entry = std::pair<std::string, std::vector<int>>;
  EXPECT_EQ(roundTrip(Entry{"k", {1, 2}}), (Entry{"k", {1, 2}}));
  using Row = std::tuple<int, std::string, double, std::optional<std::string>>;
  EXPECT_EQ(roundTrip(Row{1, "two", 3.0, "four"}), (Row{1, "two", 3.0, "four"}));
  EXPECT_EQ(roundTrip(Row{0, "", 0.0, std::nullopt}), (Row{0, "", 0.0, std::nullopt}));
  EXPECT_EQ(roundTrip(std::optional<std::string>()), std::nullopt);
  EXPECT_EQ(roundTrip(std::optional<std::string>("")), std::optional<std::string>(""));
  using Value = std::variant<std::monostate, int64_t, std::string, std::vector<std::string>>;
  for (const Value& v : {Value{}, Value{int64_t{-9}}, Value{std::string("s")},
                         Value{std::vector<std::string>{"a", "b"}}}) {
    EXPECT_EQ(roundTrip(v), v) << "alternative " << v.index();
  }
}

TEST(Serializer, RoundTripsMapsAndSets) {
  const std::map<std::string, std::vector<int>> m{{"a", {1}}, {"b", {}}, {"", {2, 3}}};
  EXPECT_EQ(roundTrip(m), m);
  const std::multimap<int, std::string> mm{{1, "x"}, {1, "y"}, {0, "z"}};
  EXPECT_EQ(roundTrip(mm), mm);
  const std::unordered_map<std::string, int64_t> um{{"one", 1}, {"two", 2}, {"three", 3}};
  EXPECT_EQ(roundTrip(um), um);
  const std::set<std::string> s{"b", "a", ""};
  EXPECT_EQ(roundTrip(s), s);
  const std::unordered_set<int> us{5, 6, 7};
  EXPECT_EQ(roundTrip(us), us);
  EXPECT_EQ(roundTrip(std::map<int, int>()), (std::map<int, int>()));
}

TEST(Serializer, DeserializeReplacesTheOldValue) {
  const std::string bytes = bytesOf(std::vector<std::string>{"new"});
  ByteReader r(bytes, "test block");
  std::vector<std::string> v{"old", "values", "here"};
  deserialize(r, v);
  EXPECT_EQ(v, std::vector<std::string>{"new"});
  std::map<int, int> m{{1, 1}};
  const std::string empty = bytesOf(std::map<int, int>());
  ByteReader r2(empty, "test block");
  deserialize(r2, m);
  EXPECT_TRUE(m.empty());
}

TEST(Serializer, UsesACerealSerializeMember) {
  const user::CerealMember v{"name", {1, 2, 3}, {{"w", 0.5}}};
  EXPECT_EQ(roundTrip(v), v);
  // Stored inline, names dropped, sizes as varints: 1+4 (name), 1+12
  // (values), 1 + 1+1 + 8 (weights).
  EXPECT_EQ(bytesOf(v).size(), 5u + 13u + 11u);
  EXPECT_EQ(roundTrip(user::CerealMember{}), user::CerealMember{});
}

TEST(Serializer, UsesACerealFreeSerializeFunctionAndSaveLoad) {
  EXPECT_EQ(roundTrip(user::CerealFree{"label", -7}), (user::CerealFree{"label", -7}));
  EXPECT_EQ(roundTrip(user::CerealSplit("private")).text(), "private");
  const std::vector<user::CerealFree> many{{"a", 1}, {"", 2}, {"ccc", 3}};
  EXPECT_EQ(roundTrip(many), many);
}

TEST(Serializer, UsesBoostSerialization) {
  const user::BoostMember member{"boost", {4, 5, 6}};
  EXPECT_EQ(roundTrip(member), member);
  EXPECT_EQ(roundTrip(user::BoostFree{"Paris", 2.1e6}), (user::BoostFree{"Paris", 2.1e6}));
  EXPECT_EQ(roundTrip(user::BoostPrivate("opt-in")).text(), "opt-in");
  const std::vector<user::BoostMember> many{{"a", {}}, {"b", {1}}};
  EXPECT_EQ(roundTrip(many), many);
  // Values follow each other: each archive reads exactly its own bytes.
  std::string bytes;
  ByteWriter w(bytes);
  serialize(w, member);
  serialize(w, int32_t{42});
  ByteReader r(bytes, "test block");
  user::BoostMember back;
  int32_t after = 0;
  deserialize(r, back);
  deserialize(r, after);
  EXPECT_EQ(back, member);
  EXPECT_EQ(after, 42);
  EXPECT_TRUE(r.atEnd());
}

TEST(Serializer, BatchesCopyPlainRecordsInOneBlock) {
  const std::vector<std::pair<int64_t, int64_t>> records{{1, 2}, {3, 4}, {5, 6}};
  std::string bytes;
  ByteWriter w(bytes);
  serializeBatch(w, records.data(), records.size());
  ASSERT_EQ(bytes.size(), 1 + records.size() * 16);
  EXPECT_EQ(bytes[0], 3);
  EXPECT_EQ(std::memcmp(bytes.data() + 1, records.data(), records.size() * 16), 0);
  // Appends to what the vector holds.
  std::vector<std::pair<int64_t, int64_t>> out{{9, 9}};
  ByteReader r(bytes, "test block");
  deserializeBatch(r, out);
  EXPECT_TRUE(r.atEnd());
  EXPECT_EQ(out, (std::vector<std::pair<int64_t, int64_t>>{{9, 9}, {1, 2}, {3, 4}, {5, 6}}));
}

TEST(Serializer, BatchesOfStringsAndMixedRecords) {
  const std::vector<std::string> strings{"alpha", "", "gamma"};
  const std::vector<std::pair<std::string, int64_t>> mixed{{"a", 1}, {"bb", 2}};
  std::string bytes;
  ByteWriter w(bytes);
  serializeBatch(w, strings.data(), strings.size());
  serializeBatch(w, mixed.data(), mixed.size());
  serializeBatch(w, strings.data(), 0);
  EXPECT_EQ(hex(bytes.substr(0, 8)), "03 05 61 6c 70 68 61 00");
  ByteReader r(bytes, "test block");
  std::vector<std::string> s;
  std::vector<std::pair<std::string, int64_t>> m;
  deserializeBatch(r, s);
  deserializeBatch(r, m);
  deserializeBatch(r, s);
  EXPECT_TRUE(r.atEnd());
  EXPECT_EQ(s, strings);
  EXPECT_EQ(m, mixed);
}

// ---------------------------------------------------------------------------
// Damaged input: always a CorruptBlockError naming the block, never a crash,
// an overrun or a huge allocation (under ASan, an allocation of terabytes
// would abort the test).

template <class T>
std::string corruptMessage(const std::string& bytes) {
  ByteReader r(bytes, "shuffle 1 map 2 reduce 3");
  T value{};
  try {
    deserialize(r, value);
  } catch (const CorruptBlockError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no CorruptBlockError";
  return "";
}

std::string varint(uint64_t v) {
  std::string out;
  ByteWriter(out).writeVarint(v);
  return out;
}

TEST(Serializer, AReadPastTheEndIsCorruptBlockError) {
  const std::string two("\x01\x02", 2);
  ByteReader r(two, "shuffle 1 map 2 reduce 3");
  int32_t v;
  try {
    r.read(&v, sizeof v);
    FAIL() << "read past the end";
  } catch (const CorruptBlockError& e) {
    EXPECT_THAT(e.what(), AllOf(HasSubstr("shuffle 1 map 2 reduce 3: data ended early"),
                                HasSubstr("needed 4 bytes, 2 left")));
  }
  EXPECT_EQ(r.remaining(), 2u);  // nothing consumed
  EXPECT_THAT(corruptMessage<int64_t>("abc"), HasSubstr("ended early"));
  EXPECT_THAT(corruptMessage<std::string>(""), HasSubstr("ended early"));
  EXPECT_THAT(corruptMessage<std::string>(varint(5) + "abc"), HasSubstr("bad length"));
}

TEST(Serializer, AHugeLengthIsRefusedBeforeAllocating) {
  const std::string huge = varint(uint64_t{1} << 40);
  EXPECT_THAT(corruptMessage<std::string>(huge + "abc"),
              AllOf(HasSubstr("shuffle 1 map 2 reduce 3"), HasSubstr("bad length")));
  EXPECT_THAT(corruptMessage<std::vector<int64_t>>(huge + std::string(64, 'x')),
              HasSubstr("bad length"));
  EXPECT_THAT(corruptMessage<std::vector<std::string>>(huge + std::string(64, 'x')),
              HasSubstr("bad length"));
  EXPECT_THAT((corruptMessage<std::map<int, std::string>>(varint(UINT64_MAX) + "xx")),
              HasSubstr("bad length"));
  EXPECT_THAT(corruptMessage<std::vector<bool>>(huge + "x"), HasSubstr("bad length"));
  // Eight bytes of elements claimed with seven present.
  EXPECT_THAT(corruptMessage<std::vector<int32_t>>(varint(2) + std::string(7, 'x')),
              HasSubstr("bad length"));
  // Inside a cereal type, cereal's own container sizes are checked too.
  EXPECT_THAT(corruptMessage<user::CerealMember>(varint(1) + "n" + huge + "xxxx"),
              HasSubstr("bad length"));
  std::vector<int64_t> batch;
  const std::string batchBytes = huge + std::string(16, 'x');
  ByteReader r(batchBytes, "batch");
  EXPECT_THROW(deserializeBatch(r, batch), CorruptBlockError);
  EXPECT_TRUE(batch.empty());
}

TEST(Serializer, BadTagsAreCorruptBlockError) {
  EXPECT_THAT(corruptMessage<std::string>(std::string(11, '\xff')), HasSubstr("bad varint"));
  EXPECT_THAT(corruptMessage<bool>("\x02"), HasSubstr("bad bool 2"));
  EXPECT_THAT(corruptMessage<std::optional<std::string>>("\x07"), HasSubstr("bad optional flag 7"));
  EXPECT_THAT((corruptMessage<std::variant<int, std::string>>("\x02")),
              HasSubstr("bad variant index 2"));
}

TEST(Serializer, DamagedBoostValuesAreCorruptBlockError) {
  const std::string good = bytesOf(user::BoostMember{"boost", {1, 2}});
  // The length prefix claims more than there is.
  std::string longer = good;
  longer[0] = static_cast<char>(good.size() + 10);
  EXPECT_THAT(corruptMessage<user::BoostMember>(longer), HasSubstr("ended early"));
  // The archive is cut short inside its length.
  std::string cut = good.substr(0, good.size() - 3);
  cut[0] = static_cast<char>(cut.size() - 4);
  EXPECT_THAT(corruptMessage<user::BoostMember>(cut),
              AllOf(HasSubstr("shuffle 1 map 2 reduce 3"), HasSubstr("Boost.Serialization")));
}

// The static_assert a user meets, checked by compiling a small file.
TEST(Serializer, AnUnsupportedTypeFailsToCompileWithAReadableMessage) {
  const std::string compiler = "/usr/bin/c++";
  if (::access(compiler.c_str(), X_OK) != 0) GTEST_SKIP() << "no " << compiler;
  testing::TempDir dir;
  const std::string source = dir.write("bad.cpp",
                                       "#include \"storage/serializer.hpp\"\n"
                                       "#include <string>\n"
                                       "struct Record { std::string text; };\n"
                                       "void f(ember::ByteWriter& w, const Record& r) {\n"
                                       "  ember::serialize(w, r);\n"
                                       "}\n");
  const testing::ProgramResult result = testing::runProgram(
      {compiler, "-std=c++20", "-fsyntax-only", "-I", EMBER_TEST_SOURCE_DIR, source});
  EXPECT_NE(result.exitCode, 0);
  EXPECT_THAT(result.err, HasSubstr("ember cannot serialize this type: give it a cereal "
                                    "serialize(Archive&) member"));
}

}  // namespace
}  // namespace ember

// gen_tpch: writes TPC-H's eight tables at a scale factor, following the
// specification's clause 4.2 (schema, cardinalities, value domains), for the TPC-H
// benchmark (run_tpch.sh) and the q1/q6 jobs of run_vs_duckdb.sh.
//
//   gen_tpch <out-dir> <scale-factor> [seed=42]
//
// The scale factor is a positive number (0.01, 0.1, 1, 10, ...); every count is the
// specification's at scale 1 times it, rounded, and at least 1: supplier 10,000,
// customer 150,000, part 200,000 (partsupp 4 per part), orders 1,500,000 (lineitem 1 to
// 7 per order, about 6,000,000), and always 25 nations and 5 regions. Scale factor 1 is
// about 1 GB of text.
//
// Writes <out-dir>/region.csv, nation.csv, supplier.csv, customer.csv, part.csv,
// partsupp.csv, orders.csv and lineitem.csv (creating <out-dir>): a header line of the
// specification's column names, then one row per line, fields separated by `|` (as
// TPC-H's own generator does, without its trailing `|`), never quoted: no field holds
// `|`, `"` or a newline, nor begins or ends with a space. Dates are YYYY-MM-DD, money
// and quantities have two digits after the point. Each file is written as <file>.tmp and
// renamed when complete, lineitem.csv last, so a set with lineitem.csv is whole.
//
// What follows the specification and what the queries need of it:
// - order keys are sparse, 8 used of every 32, as the reference generator makes them;
//   customers whose key is a multiple of 3 place no orders (Q13 and Q22 count them);
// - ps_suppkey and l_suppkey use the specification's formula, so every lineitem's
//   (partkey, suppkey) is a partsupp row (Q9, Q20); the formula gives each part four
//   different suppliers from 229 suppliers on (scale factor 0.0229) and at some smaller
//   counts (0.01's 100), but not at all: there a (ps_partkey, ps_suppkey) may repeat;
// - o_orderstatus and o_totalprice come from the order's lines, l_returnflag and
//   l_linestatus from the current date 1995-06-17;
// - comments are substrings of a text drawn from the specification's grammar and
//   weighted word lists (Q13 looks for "special ... requests" in them), and SF x 5
//   supplier comments each hold "Customer ... Complaints" and "Customer ... Recommends"
//   (Q16).
// The same seed gives byte-identical files on every platform (see portable_random.hpp);
// the files are not byte-identical to the reference generator's, whose random streams
// are its own.

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "output_file.hpp"
#include "portable_random.hpp"

namespace {

using ember_bench::OutputFile;
using ember_bench::PortableRandom;

constexpr const char* kProgram = "gen_tpch";
constexpr std::uint64_t kDefaultSeed = 42;
// Keeps a typo (an extra zero or three) from filling the disk: about 1 TB of text.
constexpr double kMaxScaleFactor = 1000;
constexpr char kSeparator = '|';

// ---- calendar ----

// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
constexpr std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

constexpr std::int64_t kStartDate = daysFromCivil(1992, 1, 1);
constexpr std::int64_t kCurrentDate = daysFromCivil(1995, 6, 17);
constexpr std::int64_t kEndDate = daysFromCivil(1998, 12, 31);
// Orders are placed up to 151 days before the end, so that every line is received by it.
constexpr std::int64_t kLastOrderDate = kEndDate - 151;

// "YYYY-MM-DD" of every day from kStartDate to kEndDate, formatted once: lineitem alone
// writes three dates a row.
class DateTexts {
 public:
  DateTexts() {
    for (std::int64_t day = kStartDate; day <= kEndDate; ++day) texts_.push_back(format(day));
  }
  std::string_view operator[](std::int64_t day) const {
    const auto& text = texts_[static_cast<std::size_t>(day - kStartDate)];
    return {text.data(), text.size()};
  }

 private:
  // The inverse of daysFromCivil.
  static std::array<char, 10> format(std::int64_t days) {
    days += 719468;
    const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const auto doe = static_cast<unsigned>(days - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    const auto y = static_cast<unsigned>(static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2));
    const auto digit = [](unsigned v) { return static_cast<char>('0' + v % 10); };
    return {digit(y / 1000), digit(y / 100), digit(y / 10), digit(y),      '-',
            digit(m / 10),   digit(m),       '-',           digit(d / 10), digit(d)};
  }

  std::vector<std::array<char, 10>> texts_;
};

// ---- value domains (clause 4.2.2 and 4.2.3) ----

struct Nation {
  std::string_view name;
  std::uint64_t region;
};
constexpr std::array<Nation, 25> kNations = {{
    {"ALGERIA", 0},       {"ARGENTINA", 1}, {"BRAZIL", 1}, {"CANADA", 1},
    {"EGYPT", 4},         {"ETHIOPIA", 0},  {"FRANCE", 3}, {"GERMANY", 3},
    {"INDIA", 2},         {"INDONESIA", 2}, {"IRAN", 4},   {"IRAQ", 4},
    {"JAPAN", 2},         {"JORDAN", 4},    {"KENYA", 0},  {"MOROCCO", 0},
    {"MOZAMBIQUE", 0},    {"PERU", 1},      {"CHINA", 2},  {"ROMANIA", 3},
    {"SAUDI ARABIA", 4},  {"VIETNAM", 2},   {"RUSSIA", 3}, {"UNITED KINGDOM", 3},
    {"UNITED STATES", 1},
}};
constexpr std::array<std::string_view, 5> kRegions = {"AFRICA", "AMERICA", "ASIA", "EUROPE",
                                                      "MIDDLE EAST"};
constexpr std::array<std::string_view, 92> kColors = {
    "almond",   "antique",   "aquamarine", "azure",      "beige",     "bisque",    "black",
    "blanched", "blue",      "blush",      "brown",      "burlywood", "burnished", "chartreuse",
    "chiffon",  "chocolate", "coral",      "cornflower", "cornsilk",  "cream",     "cyan",
    "dark",     "deep",      "dim",        "dodger",     "drab",      "firebrick", "floral",
    "forest",   "frosted",   "gainsboro",  "ghost",      "goldenrod", "green",     "grey",
    "honeydew", "hot",       "indian",     "ivory",      "khaki",     "lace",      "lavender",
    "lawn",     "lemon",     "light",      "lime",       "linen",     "magenta",   "maroon",
    "medium",   "metallic",  "midnight",   "mint",       "misty",     "moccasin",  "navajo",
    "navy",     "olive",     "orange",     "orchid",     "pale",      "papaya",    "peach",
    "peru",     "pink",      "plum",       "powder",     "puff",      "purple",    "red",
    "rose",     "rosy",      "royal",      "saddle",     "salmon",    "sandy",     "seashell",
    "sienna",   "sky",       "slate",      "smoke",      "snow",      "spring",    "steel",
    "tan",      "thistle",   "tomato",     "turquoise",  "violet",    "wheat",     "white",
    "yellow"};
constexpr std::array<std::string_view, 6> kTypeSizes = {"STANDARD", "SMALL",   "MEDIUM",
                                                        "LARGE",    "ECONOMY", "PROMO"};
constexpr std::array<std::string_view, 5> kTypeFinishes = {"ANODIZED", "BURNISHED", "PLATED",
                                                           "POLISHED", "BRUSHED"};
constexpr std::array<std::string_view, 5> kTypeMetals = {"TIN", "NICKEL", "BRASS", "STEEL",
                                                         "COPPER"};
constexpr std::array<std::string_view, 5> kContainerSizes = {"SM", "LG", "MED", "JUMBO", "WRAP"};
constexpr std::array<std::string_view, 8> kContainerKinds = {"CASE", "BOX",  "BAG", "JAR",
                                                             "PKG",  "PACK", "CAN", "DRUM"};
constexpr std::array<std::string_view, 5> kSegments = {"AUTOMOBILE", "BUILDING", "FURNITURE",
                                                       "MACHINERY", "HOUSEHOLD"};
constexpr std::array<std::string_view, 5> kPriorities = {"1-URGENT", "2-HIGH", "3-MEDIUM",
                                                         "4-NOT SPECIFIED", "5-LOW"};
constexpr std::array<std::string_view, 4> kInstructions = {"DELIVER IN PERSON", "COLLECT COD",
                                                           "NONE", "TAKE BACK RETURN"};
constexpr std::array<std::string_view, 7> kShipModes = {"REG AIR", "AIR",  "RAIL", "SHIP",
                                                        "TRUCK",   "MAIL", "FOB"};
// v-strings (addresses): 64 symbols, none of them a separator, quote or space.
constexpr std::string_view kVStringSymbols =
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ,.";

template <typename T, std::size_t N>
const T& pick(const std::array<T, N>& values, PortableRandom& rng) {
  return values[rng.below(N)];
}

// ---- comments: the grammar of clause 4.2.2.14 ----

// A word list sampled by weight, written "word/weight,word,..." (weight 1 when left
// out) so that the specification's lists read as compactly as it prints them. One binary
// search in the cumulative weights per draw.
class WordList {
 public:
  explicit WordList(std::string_view spec) {
    std::uint64_t sum = 0;
    while (!spec.empty()) {
      const std::string_view entry = spec.substr(0, spec.find(','));
      spec.remove_prefix(std::min(spec.size(), entry.size() + 1));
      const std::size_t slash = entry.find('/');
      std::uint64_t weight = 1;
      if (slash != std::string_view::npos) {
        std::from_chars(entry.data() + slash + 1, entry.data() + entry.size(), weight);
      }
      words_.push_back(entry.substr(0, slash));
      cumulative_.push_back(sum += weight);
    }
  }
  std::string_view operator()(PortableRandom& rng) const {
    const std::uint64_t at = rng.below(cumulative_.back());
    const auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), at);
    return words_[static_cast<std::size_t>(it - cumulative_.begin())];
  }

 private:
  std::vector<std::string_view> words_;
  std::vector<std::uint64_t> cumulative_;
};

// A long text from the grammar; each comment is a piece of it, so that writing one costs
// a copy rather than a sentence's worth of draws.
class TextPool {
 public:
  explicit TextPool(PortableRandom& rng);

  // A text string [min, max]: a piece of random length in [min, max] at a random place,
  // shortened where it would begin or end with a space (a CSV reader may trim those).
  std::string_view comment(std::size_t min, std::size_t max, PortableRandom& rng) const {
    const std::size_t length = static_cast<std::size_t>(
        rng.between(static_cast<std::int64_t>(min), static_cast<std::int64_t>(max)));
    std::string_view piece(text_.data() + rng.below(text_.size() - length), length);
    while (!piece.empty() && piece.front() == ' ') piece.remove_prefix(1);
    while (!piece.empty() && piece.back() == ' ') piece.remove_suffix(1);
    return piece;
  }

 private:
  // Large enough that comments rarely repeat, small enough to build in a blink.
  static constexpr std::size_t kBytes = std::size_t{16} << 20;
  std::string text_;
};

TextPool::TextPool(PortableRandom& rng) {
  // Clause 4.2.2.13's lists and weights.
  static const WordList kNouns(
      "packages/40,requests/40,accounts/40,deposits/40,foxes/20,ideas/20,theodolites/20,"
      "pinto beans/20,instructions/20,dependencies/10,excuses/10,platelets/10,asymptotes/10,"
      "courts/5,dolphins/5,multipliers,sauternes,warthogs,frets,dinos,attainments,somas,"
      "Tiresias,patterns,forges,braids,hockey players,frays,warhorses,dugouts,notornis,"
      "epitaphs,pearls,tithes,waters,orbits,gifts,sheaves,depths,sentiments,decoys,realms,"
      "pains,grouches,escapades");
  static const WordList kVerbs(
      "sleep/20,wake/20,are/20,cajole/20,haggle/20,nag/10,use/10,boost/10,affix/5,detect/5,"
      "integrate/5,maintain,nod,was,lose,sublate,solve,thrash,promise,engage,hinder,print,"
      "x-ray,breach,eat,grow,impress,mold,poach,serve,run,dazzle,snooze,doze,unwind,kindle,"
      "play,hang,believe,doubt");
  static const WordList kAdjectives(
      "special/20,pending/20,unusual/20,express/20,furious,sly,careful,blithe,quick,fluffy,"
      "slow,quiet,ruthless,thin,close,dogged,daring,brave,stealthy,permanent,enticing,idle,"
      "busy,regular/50,final/40,ironic/40,even/30,bold/20,silent/10");
  static const WordList kAdverbs(
      "sometimes,always,never,furiously/50,slyly/50,carefully/50,blithely/40,quickly/30,"
      "fluffily/20,slowly,quietly,ruthlessly,thinly,closely,doggedly,daringly,bravely,"
      "stealthily,permanently,enticingly,idly,busily,regularly,finally,ironically,evenly,"
      "boldly,silently");
  static const WordList kPrepositions(
      "about/50,above/50,according to/50,across/50,after/50,against/40,along/40,"
      "alongside of/30,among/30,around/20,at/10,atop,before,behind,beneath,beside,besides,"
      "between,beyond,by,despite,during,except,for,from,in place of,inside,instead of,into,"
      "near,of,on,outside,over,past,since,through,throughout,to,toward,under,until,up,upon,"
      "without,with,within");
  static const WordList kAuxiliaries(
      "do,may,might,shall,will,would,can,could,should,ought to,must,will have to,"
      "shall have to,could have to,should have to,must have to,need to,try to");
  static const WordList kTerminators("./50,;,:,?,!,--");
  // Each production is a string of symbols: N noun phrase, V verb phrase, P
  // prepositional phrase, T terminator; inside phrases, n noun, v verb, j adjective,
  // d adverb, x auxiliary, p preposition, t "the", c a comma after the last word.
  static const WordList kSentences("NVT/3,NVPT/3,NVNT/3,NPVNT,NPVPT");
  static const WordList kNounPhrases("n/10,jn/20,jcjn/10,djn/50");
  static const WordList kVerbPhrases("v/30,xv,vd/40,xvd");

  text_.reserve(kBytes + 256);
  const auto word = [this](std::string_view w) {
    if (!text_.empty()) text_.push_back(' ');
    text_.append(w);
  };
  // Expands one symbol; a prepositional phrase holds a noun phrase, nothing nests deeper.
  const auto expand = [&](auto& self, char symbol) -> void {
    switch (symbol) {
      case 'N':
        for (const char c : kNounPhrases(rng)) self(self, c);
        break;
      case 'V':
        for (const char c : kVerbPhrases(rng)) self(self, c);
        break;
      case 'P':
        for (const char c : std::string_view("ptN")) self(self, c);
        break;
      case 'T':
        text_.append(kTerminators(rng));
        break;
      case 'n':
        word(kNouns(rng));
        break;
      case 'v':
        word(kVerbs(rng));
        break;
      case 'j':
        word(kAdjectives(rng));
        break;
      case 'd':
        word(kAdverbs(rng));
        break;
      case 'x':
        word(kAuxiliaries(rng));
        break;
      case 'p':
        word(kPrepositions(rng));
        break;
      case 't':
        word("the");
        break;
      case 'c':
        text_.push_back(',');
        break;
    }
  };
  while (text_.size() < kBytes) {
    for (const char c : kSentences(rng)) expand(expand, c);
  }
}

// ---- scale ----

struct Cardinalities {
  std::uint64_t suppliers, customers, parts, orders, clerks;
};

Cardinalities cardinalities(double scaleFactor) {
  const auto scaled = [scaleFactor](double base) {
    return std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::llround(scaleFactor * base)));
  };
  return {scaled(10'000), scaled(150'000), scaled(200'000), scaled(1'500'000), scaled(1'000)};
}

// ---- writing rows ----

// One table's file: fields are appended in order, a separator between them.
class TableWriter {
 public:
  TableWriter(const std::filesystem::path& dir, std::string_view table,
              std::initializer_list<std::string_view> columns)
      : out_((dir / (std::string(table) + ".csv")).string(), kProgram) {
    for (const std::string_view c : columns) field(c);
    endRow();
    rows_ = 0;
  }

  TableWriter& field(std::string_view text) {
    separate();
    out_.append(text);
    return *this;
  }
  TableWriter& field(std::uint64_t number) {
    separate();
    out_.append(number);
    return *this;
  }
  // A number of hundredths, with two digits after the point.
  TableWriter& cents(std::int64_t cents) {
    separate();
    if (cents < 0) out_.append('-');
    const auto magnitude = static_cast<std::uint64_t>(cents < 0 ? -cents : cents);
    out_.append(magnitude / 100);
    out_.append('.');
    out_.append(static_cast<char>('0' + magnitude / 10 % 10));
    out_.append(static_cast<char>('0' + magnitude % 10));
    return *this;
  }
  // `prefix` then `number` padded with zeros to 9 digits: Supplier#000000001.
  TableWriter& numbered(std::string_view prefix, std::uint64_t number) {
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, number).ptr;
    const auto length = static_cast<std::size_t>(end - digits);
    field(prefix);
    for (std::size_t i = length; i < 9; ++i) out_.append('0');
    out_.append(std::string_view(digits, length));
    return *this;
  }
  void endRow() {
    out_.append('\n');
    first_ = true;
    ++rows_;
  }

  // Renames the file into place and says what it holds.
  void commit() {
    out_.commit();
    std::printf("gen_tpch: wrote %s: %llu rows, %llu bytes\n", out_.path().c_str(),
                static_cast<unsigned long long>(rows_),
                static_cast<unsigned long long>(out_.written()));
  }

 private:
  void separate() {
    if (!first_) out_.append(kSeparator);
    first_ = false;
  }

  OutputFile out_;
  bool first_ = true;
  std::uint64_t rows_ = 0;
};

// The inputs every table's generator shares.
struct Generation {
  std::filesystem::path dir;
  Cardinalities n;
  double scaleFactor;
  std::uint64_t seed;
  TextPool* text;
  DateTexts* dates;

  // A stream of its own per table, so that one table's draws never shift another's.
  PortableRandom random(std::uint64_t table) const {
    return PortableRandom(seed ^ (0x9e3779b97f4a7c15ULL * (table + 1)));
  }
};

// Clause 4.2.2.9: the country code is the nation key + 10.
void phone(TableWriter& row, std::uint64_t nation, PortableRandom& rng) {
  char text[15];
  const auto put = [&text](int at, std::int64_t value, int digits) {
    for (int i = digits - 1; i >= 0; --i, value /= 10)
      text[at + i] = static_cast<char>('0' + value % 10);
  };
  put(0, static_cast<std::int64_t>(nation) + 10, 2);
  text[2] = text[6] = text[10] = '-';
  put(3, rng.between(100, 999), 3);
  put(7, rng.between(100, 999), 3);
  put(11, rng.between(1000, 9999), 4);
  row.field(std::string_view(text, sizeof text));
}

void address(TableWriter& row, PortableRandom& rng) {
  char text[40];
  const auto length = static_cast<std::size_t>(rng.between(10, 40));
  for (std::size_t i = 0; i < length; ++i)
    text[i] = kVStringSymbols[rng.below(kVStringSymbols.size())];
  row.field(std::string_view(text, length));
}

// -999.99 to 9,999.99.
std::int64_t accountBalance(PortableRandom& rng) { return rng.between(-99'999, 999'999); }

// Clause 4.2.3: P_RETAILPRICE, in cents.
std::int64_t retailCents(std::uint64_t partKey) {
  return static_cast<std::int64_t>(90'000 + (partKey / 10) % 20'001 + 100 * (partKey % 1'000));
}

// Supplier i in [0, 4) of a part: the formula of PS_SUPPKEY and L_SUPPKEY.
std::uint64_t supplierOf(std::uint64_t partKey, std::uint64_t i, std::uint64_t suppliers) {
  return (partKey + i * (suppliers / 4 + (partKey - 1) / suppliers)) % suppliers + 1;
}

void writeRegion(const Generation& g) {
  PortableRandom rng = g.random(0);
  TableWriter t(g.dir, "region", {"r_regionkey", "r_name", "r_comment"});
  for (std::uint64_t key = 0; key < kRegions.size(); ++key) {
    t.field(key).field(kRegions[key]).field(g.text->comment(31, 115, rng)).endRow();
  }
  t.commit();
}

void writeNation(const Generation& g) {
  PortableRandom rng = g.random(1);
  TableWriter t(g.dir, "nation", {"n_nationkey", "n_name", "n_regionkey", "n_comment"});
  for (std::uint64_t key = 0; key < kNations.size(); ++key) {
    t.field(key).field(kNations[key].name).field(kNations[key].region);
    t.field(g.text->comment(31, 114, rng)).endRow();
  }
  t.commit();
}

// Which suppliers' comments carry a complaint (1) or a recommendation (2): SF x 5 of
// each, at least one, drawn without repeats.
std::vector<std::uint8_t> supplierRemarks(const Generation& g, PortableRandom& rng) {
  std::vector<std::uint8_t> remark(g.n.suppliers, 0);
  const auto each = std::min<std::uint64_t>(
      g.n.suppliers / 2,
      std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::llround(g.scaleFactor * 5))));
  for (std::uint8_t kind = 1; kind <= 2; ++kind) {
    for (std::uint64_t marked = 0; marked < each;) {
      std::uint8_t& r = remark[rng.below(g.n.suppliers)];
      if (r == 0) {
        r = kind;
        ++marked;
      }
    }
  }
  return remark;
}

// A supplier comment [25, 100], with "Customer" and `word` written over it at a random
// place and distance when `word` is not empty, as the reference generator does.
std::string supplierComment(const Generation& g, std::string_view word, PortableRandom& rng) {
  std::string comment(g.text->comment(25, 100, rng));
  if (word.empty()) return comment;
  constexpr std::string_view kCustomer = "Customer";
  const std::size_t fixed = kCustomer.size() + word.size();
  if (comment.size() < fixed) comment.resize(fixed, ' ');
  const std::size_t gap = rng.below(comment.size() - fixed + 1);
  const std::size_t at = rng.below(comment.size() - fixed - gap + 1);
  comment.replace(at, kCustomer.size(), kCustomer);
  comment.replace(at + kCustomer.size() + gap, word.size(), word);
  return comment;
}

void writeSupplier(const Generation& g) {
  PortableRandom rng = g.random(2);
  const std::vector<std::uint8_t> remarks = supplierRemarks(g, rng);
  static constexpr std::string_view kRemarkWords[] = {"", "Complaints", "Recommends"};
  TableWriter t(
      g.dir, "supplier",
      {"s_suppkey", "s_name", "s_address", "s_nationkey", "s_phone", "s_acctbal", "s_comment"});
  for (std::uint64_t key = 1; key <= g.n.suppliers; ++key) {
    const std::uint64_t nation = rng.below(kNations.size());
    t.field(key).numbered("Supplier#", key);
    address(t, rng);
    t.field(nation);
    phone(t, nation, rng);
    t.cents(accountBalance(rng));
    t.field(supplierComment(g, kRemarkWords[remarks[key - 1]], rng)).endRow();
  }
  t.commit();
}

void writeCustomer(const Generation& g) {
  PortableRandom rng = g.random(3);
  TableWriter t(g.dir, "customer",
                {"c_custkey", "c_name", "c_address", "c_nationkey", "c_phone", "c_acctbal",
                 "c_mktsegment", "c_comment"});
  for (std::uint64_t key = 1; key <= g.n.customers; ++key) {
    const std::uint64_t nation = rng.below(kNations.size());
    t.field(key).numbered("Customer#", key);
    address(t, rng);
    t.field(nation);
    phone(t, nation, rng);
    t.cents(accountBalance(rng)).field(pick(kSegments, rng));
    t.field(g.text->comment(29, 116, rng)).endRow();
  }
  t.commit();
}

// Five different colours separated by spaces.
std::string partName(PortableRandom& rng) {
  std::array<std::size_t, 5> chosen{};
  std::string name;
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    do {
      chosen[i] = rng.below(kColors.size());
    } while (std::find(chosen.begin(), chosen.begin() + static_cast<std::ptrdiff_t>(i),
                       chosen[i]) != chosen.begin() + static_cast<std::ptrdiff_t>(i));
    if (i > 0) name.push_back(' ');
    name.append(kColors[chosen[i]]);
  }
  return name;
}

void writePart(const Generation& g) {
  PortableRandom rng = g.random(4);
  TableWriter t(g.dir, "part",
                {"p_partkey", "p_name", "p_mfgr", "p_brand", "p_type", "p_size", "p_container",
                 "p_retailprice", "p_comment"});
  std::string text;
  for (std::uint64_t key = 1; key <= g.n.parts; ++key) {
    const auto manufacturer = static_cast<char>('1' + rng.below(5));
    const char mfgr[] = {'M', 'a', 'n', 'u', 'f', 'a', 'c',
                         't', 'u', 'r', 'e', 'r', '#', manufacturer};
    const char brand[] = {'B', 'r', 'a',          'n',
                          'd', '#', manufacturer, static_cast<char>('1' + rng.below(5))};
    t.field(key).field(partName(rng));
    t.field(std::string_view(mfgr, sizeof mfgr)).field(std::string_view(brand, sizeof brand));
    text.assign(pick(kTypeSizes, rng)).append(" ").append(pick(kTypeFinishes, rng));
    t.field(text.append(" ").append(pick(kTypeMetals, rng)));
    t.field(1 + rng.below(50));
    text.assign(pick(kContainerSizes, rng)).append(" ").append(pick(kContainerKinds, rng));
    t.field(text).cents(retailCents(key)).field(g.text->comment(5, 22, rng)).endRow();
  }
  t.commit();
}

void writePartsupp(const Generation& g) {
  PortableRandom rng = g.random(5);
  TableWriter t(g.dir, "partsupp",
                {"ps_partkey", "ps_suppkey", "ps_availqty", "ps_supplycost", "ps_comment"});
  for (std::uint64_t key = 1; key <= g.n.parts; ++key) {
    for (std::uint64_t i = 0; i < 4; ++i) {
      t.field(key).field(supplierOf(key, i, g.n.suppliers)).field(1 + rng.below(9'999));
      t.cents(rng.between(100, 100'000)).field(g.text->comment(49, 198, rng)).endRow();
    }
  }
  t.commit();
}

// Order i (from 0) has key i + 1 in TPC-H's sparse numbering: 8 used of every 32.
std::uint64_t orderKey(std::uint64_t i) { return (i / 8) * 32 + i % 8 + 1; }

// A customer key that is not a multiple of 3: a third of the customers have no orders.
std::uint64_t orderingCustomer(const Generation& g, PortableRandom& rng) {
  for (;;) {
    const std::uint64_t key = 1 + rng.below(g.n.customers);
    if (key % 3 != 0 || g.n.customers < 3) return key;
  }
}

// Writes an order's lines; returns its total price in cents and adds each line's status
// to `open` / `filled`.
std::int64_t writeLines(const Generation& g, TableWriter& t, std::uint64_t key,
                        std::int64_t orderDate, PortableRandom& rng, std::uint64_t& open,
                        std::uint64_t& filled) {
  const DateTexts& dates = *g.dates;
  std::int64_t total = 0;
  for (std::uint64_t line = 1, lines = 1 + rng.below(7); line <= lines; ++line) {
    const std::uint64_t part = 1 + rng.below(g.n.parts);
    const std::uint64_t supplier = supplierOf(part, rng.below(4), g.n.suppliers);
    const auto quantity = static_cast<std::int64_t>(1 + rng.below(50));
    const std::int64_t price = quantity * retailCents(part);
    const std::int64_t discount = rng.between(0, 10);
    const std::int64_t tax = rng.between(0, 8);
    const std::int64_t ship = orderDate + rng.between(1, 121);
    const std::int64_t commit = orderDate + rng.between(30, 90);
    const std::int64_t receipt = ship + rng.between(1, 30);
    const char flag = receipt <= kCurrentDate ? (rng.below(2) ? 'R' : 'A') : 'N';
    const char status = ship > kCurrentDate ? 'O' : 'F';
    (status == 'O' ? open : filled) += 1;
    // Truncated at each step, as the reference generator computes it.
    total += price * (100 - discount) / 100 * (100 + tax) / 100;
    t.field(key).field(part).field(supplier).field(line).cents(quantity * 100).cents(price);
    t.cents(discount).cents(tax).field(std::string_view(&flag, 1));
    t.field(std::string_view(&status, 1)).field(dates[ship]).field(dates[commit]);
    t.field(dates[receipt]).field(pick(kInstructions, rng)).field(pick(kShipModes, rng));
    t.field(g.text->comment(10, 43, rng)).endRow();
  }
  return total;
}

// Orders and their lines together: an order's status and total price come from them.
void writeOrdersAndLineitem(const Generation& g) {
  PortableRandom rng = g.random(6);
  TableWriter orders(g.dir, "orders",
                     {"o_orderkey", "o_custkey", "o_orderstatus", "o_totalprice", "o_orderdate",
                      "o_orderpriority", "o_clerk", "o_shippriority", "o_comment"});
  TableWriter lineitem(
      g.dir, "lineitem",
      {"l_orderkey", "l_partkey", "l_suppkey", "l_linenumber", "l_quantity", "l_extendedprice",
       "l_discount", "l_tax", "l_returnflag", "l_linestatus", "l_shipdate", "l_commitdate",
       "l_receiptdate", "l_shipinstruct", "l_shipmode", "l_comment"});
  for (std::uint64_t i = 0; i < g.n.orders; ++i) {
    const std::uint64_t key = orderKey(i);
    const std::uint64_t customer = orderingCustomer(g, rng);
    const std::int64_t date = rng.between(kStartDate, kLastOrderDate);
    const std::string_view priority = pick(kPriorities, rng);
    const std::uint64_t clerk = 1 + rng.below(g.n.clerks);
    const std::string_view comment = g.text->comment(19, 78, rng);
    std::uint64_t open = 0;
    std::uint64_t filled = 0;
    const std::int64_t total = writeLines(g, lineitem, key, date, rng, open, filled);
    const char status = open == 0 ? 'F' : filled == 0 ? 'O' : 'P';
    orders.field(key).field(customer).field(std::string_view(&status, 1)).cents(total);
    orders.field((*g.dates)[date])
        .field(priority)
        .numbered("Clerk#", clerk)
        .field(std::uint64_t{0});
    orders.field(comment).endRow();
  }
  orders.commit();
  lineitem.commit();  // last: its presence says the set is complete
}

int usage() {
  std::fprintf(stderr, "usage: gen_tpch <out-dir> <scale-factor> [seed=%llu]\n",
               static_cast<unsigned long long>(kDefaultSeed));
  return 2;
}

bool parseScaleFactor(std::string_view text, double& value) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc{} && end == text.data() + text.size() && value > 0 &&
         value <= kMaxScaleFactor;
}

bool parseSeed(std::string_view text, std::uint64_t& value) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc{} && end == text.data() + text.size();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3 || argc > 4) return usage();
  Generation g{argv[1], {}, 0, kDefaultSeed, nullptr, nullptr};
  if (!parseScaleFactor(argv[2], g.scaleFactor)) {
    std::fprintf(stderr, "gen_tpch: the scale factor must be in (0, %g], not '%s'\n",
                 kMaxScaleFactor, argv[2]);
    return usage();
  }
  if (argc == 4 && !parseSeed(argv[3], g.seed)) {
    std::fprintf(stderr, "gen_tpch: invalid seed '%s'\n", argv[3]);
    return usage();
  }
  std::error_code error;
  std::filesystem::create_directories(g.dir, error);
  if (error) {
    std::fprintf(stderr, "gen_tpch: cannot create '%s': %s\n", argv[1], error.message().c_str());
    return 1;
  }
  const auto start = std::chrono::steady_clock::now();
  g.n = cardinalities(g.scaleFactor);
  PortableRandom textRandom = g.random(7);
  TextPool text(textRandom);
  DateTexts dates;
  g.text = &text;
  g.dates = &dates;
  writeRegion(g);
  writeNation(g);
  writeSupplier(g);
  writeCustomer(g);
  writePart(g);
  writePartsupp(g);
  writeOrdersAndLineitem(g);
  std::printf("gen_tpch: scale factor %g (seed %llu) in %.1f s\n", g.scaleFactor,
              static_cast<unsigned long long>(g.seed),
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return 0;
}

#include "common/conf.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <limits>
#include <vector>

#include "common/detail/closest_match.hpp"
#include "common/error.hpp"
#include "common/master_url.hpp"

namespace ember {
namespace {

constexpr ConfKey kKeys[] = {
    {"ember.master", ConfType::kMaster, "local[*]",
     "Where the job runs: local, local[N] or local[*] (N worker threads; * = every core), "
     "local[N,F] (F attempts per task), or local-cluster[P,C] (P processes of C cores on this "
     "machine, as ember-run -n P starts them)."},
    {"ember.app.name", ConfType::kString, "",
     "Name of the application in logs; default: the program's name."},
    {"ember.default.parallelism", ConfType::kInt, "",
     "Partitions of parallelize and range, and of shuffles given no count; default: the number of "
     "cores for sources, the largest parent's partition count for shuffles."},
    {"ember.executor.memory", ConfType::kBytes, "1g",
     "Memory budget of each executor (a size: 512m, 2g). ember.memory.fraction of it is shared by "
     "shuffle buffers, aggregation tables, sort buffers and cached partitions; what does not fit "
     "spills to ember.local.dir."},
    {"ember.memory.fraction", ConfType::kFraction, "0.6",
     "Share of ember.executor.memory for execution and storage together; the rest is left for "
     "records in flight, user data structures and the allocator's overhead."},
    {"ember.memory.storageFraction", ConfType::kFraction, "0.5",
     "Share of that memory where cached blocks and in-memory shuffle outputs are safe from "
     "eviction by execution; either side may borrow what the other leaves free."},
    {"ember.local.dir", ConfType::kString, "",
     "Directory for spill files and shuffle blocks on disk; default: $TMPDIR, else /tmp. Each "
     "context uses a private subdirectory and removes it when it ends."},
    {"ember.shuffle.compress", ConfType::kBool, "true",
     "Compress shuffle blocks and spill files with lz4."},
    {"ember.task.maxFailures", ConfType::kInt, "4",
     "Attempts of a task before its job fails on a cluster; local mode makes one attempt unless "
     "the "
     "master says local[N,F]."},
    {"ember.executor.cores", ConfType::kInt, "",
     "Task slots of each process started by ember-run (--cores sets it) or local-cluster[P,C] "
     "(C); default: every core of the machine divided among the processes on it. Local mode "
     "takes them from local[N]."},
    {"ember.reducer.maxSizeInFlight", ConfType::kBytes, "48m",
     "Bytes of shuffle blocks a reduce task fetches from other processes at once; more overlaps "
     "the network better, less bounds the memory the fetches take."},
    {"ember.rpc.message.maxSize", ConfType::kBytes, "128m",
     "Largest message between processes; a peer announcing a larger one is disconnected. A "
     "shuffle block, task result or broadcast value must fit in one: raise it for larger ones."},
    {"ember.network.timeout", ConfType::kDuration, "120s",
     "How long to wait for the processes of a job to connect, and for a peer that sent nothing "
     "(not even a heartbeat) before it is declared lost."},
    {"ember.executor.heartbeatInterval", ConfType::kDuration, "10s",
     "How often an executor tells the driver it is alive; must be well below "
     "ember.network.timeout."},
    {"ember.locality.wait", ConfType::kDuration, "3s",
     "How long a task waits for a slot in the process that holds (or is computing) a cached "
     "partition it reads before it runs elsewhere and recomputes it; 0 runs it anywhere at "
     "once."},
    {"ember.speculation", ConfType::kBool, "false",
     "Run a second copy of a task much slower than the others of its stage in another process; "
     "the first copy to finish counts and the other is killed. Needs several processes."},
    {"ember.speculation.interval", ConfType::kDuration, "100ms",
     "How often the driver looks for tasks to speculate."},
    {"ember.speculation.multiplier", ConfType::kNumber, "1.5",
     "How many times slower than the median of its stage's finished tasks a task must be to "
     "get a copy."},
    {"ember.speculation.quantile", ConfType::kFraction, "0.75",
     "Share of a stage's tasks that must have finished before any of its tasks is speculated."},
    {"ember.speculation.minTaskRuntime", ConfType::kDuration, "100ms",
     "Shortest running time of a task before it may be speculated."},
    {"ember.localCluster.args", ConfType::kString, "",
     "Arguments added to the command line of the processes local-cluster[P,C] starts (a test "
     "runner uses it to select the test that started them)."},
    {"ember.files.maxPartitionBytes", ConfType::kBytes, "128m",
     "Largest byte range of an input file that textFile reads in one partition."},
    {"ember.batch.size", ConfType::kInt, "4096",
     "Records per batch passed between the fused transformations of a stage."},
    {"ember.sql.shuffle.partitions", ConfType::kInt, "200",
     "Partitions of the exchanges of a DataFrame's aggregations and joins, as Spark's "
     "spark.sql.shuffle.partitions."},
    {"ember.sql.autoBroadcastJoinThreshold", ConfType::kBytesOrOff, "10m",
     "Largest estimated size in bytes of a join side that is broadcast to every task of the "
     "other side rather than shuffled; -1 broadcasts only sides marked by broadcast(df). As "
     "Spark's spark.sql.autoBroadcastJoinThreshold."},
};

const ConfKey* findKey(std::string_view name) {
  auto it = std::find_if(std::begin(kKeys), std::end(kKeys),
                         [&](const ConfKey& k) { return k.name == name; });
  return it == std::end(kKeys) ? nullptr : &*it;
}

const ConfKey& requireKey(std::string_view name) {
  if (const ConfKey* key = findKey(name)) return *key;
  // Spark's keys are what its users type first: spark.executor.memory is
  // ember.executor.memory here, so the hint is looked for under that name.
  constexpr std::string_view kSparkPrefix = "spark.";
  const bool spark = name.starts_with(kSparkPrefix);
  const std::string asEmber =
      spark ? "ember." + std::string(name.substr(kSparkPrefix.size())) : std::string(name);
  std::string hint;
  if (spark && findKey(asEmber) != nullptr) {
    hint = asEmber;
  } else {
    std::vector<std::string_view> names;
    for (const ConfKey& k : kKeys) names.push_back(k.name);
    hint = detail::closestMatch(asEmber, names);
  }
  throw ConfigError("unknown configuration key '" + std::string(name) + "'" +
                    (spark ? ": ember's keys start with 'ember.'" : "") +
                    (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
                    "; run the program with --help to list every key");
}

[[noreturn]] void badValue(std::string_view key, std::string_view value,
                           std::string_view expected) {
  throw ConfigError("invalid value '" + std::string(value) + "' for " + std::string(key) +
                    ": expected " + std::string(expected));
}

int64_t parseInt(std::string_view key, std::string_view text) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v <= 0)
    badValue(key, text, "a positive integer");
  return v;
}

double parseNumber(std::string_view key, std::string_view text, double max,
                   std::string_view expected) {
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || !(v > 0 && v <= max))
    badValue(key, text, expected);
  return v;
}

double parseFraction(std::string_view key, std::string_view text) {
  return parseNumber(key, text, 1, "a number greater than 0 and at most 1");
}

double parsePositive(std::string_view key, std::string_view text) {
  return parseNumber(key, text, std::numeric_limits<double>::max(), "a number greater than 0");
}

bool parseBool(std::string_view key, std::string_view text) {
  if (text == "true" || text == "1") return true;
  if (text == "false" || text == "0") return false;
  badValue(key, text, "true or false");
}

void validate(const ConfKey& key, std::string_view value) {
  switch (key.type) {
    case ConfType::kInt:
      parseInt(key.name, value);
      break;
    case ConfType::kBool:
      parseBool(key.name, value);
      break;
    case ConfType::kBytes:
      Conf::parseBytes(key.name, value);
      break;
    case ConfType::kBytesOrOff:
      if (value != "-1") Conf::parseBytes(key.name, value);
      break;
    case ConfType::kFraction:
      parseFraction(key.name, value);
      break;
    case ConfType::kNumber:
      parsePositive(key.name, value);
      break;
    case ConfType::kDuration:
      Conf::parseDuration(key.name, value);
      break;
    case ConfType::kMaster:
      MasterUrl::parse(value);
      break;
    case ConfType::kString:
      break;
  }
}

}  // namespace

Conf& Conf::set(std::string_view key, std::string_view value) {
  validate(requireKey(key), value);
  values_.insert_or_assign(std::string(key), std::string(value));
  return *this;
}

Conf& Conf::setIfMissing(std::string_view key, std::string_view value) {
  if (!contains(key)) set(key, value);
  return *this;
}

bool Conf::contains(std::string_view key) const { return values_.find(key) != values_.end(); }

std::string Conf::get(std::string_view key) const {
  const ConfKey& k = requireKey(key);
  if (auto it = values_.find(key); it != values_.end()) return it->second;
  if (const char* env = std::getenv(Conf::envName(key).c_str())) {
    validate(k, env);
    return env;
  }
  return std::string(k.defaultValue);
}

int64_t Conf::getInt(std::string_view key) const { return parseInt(key, get(key)); }
bool Conf::getBool(std::string_view key) const { return parseBool(key, get(key)); }
double Conf::getFraction(std::string_view key) const { return parseFraction(key, get(key)); }
double Conf::getNumber(std::string_view key) const { return parsePositive(key, get(key)); }
int64_t Conf::getBytes(std::string_view key) const {
  const std::string value = get(key);
  return value == "-1" ? -1 : parseBytes(key, value);
}
std::chrono::milliseconds Conf::getDuration(std::string_view key) const {
  return parseDuration(key, get(key));
}

std::span<const ConfKey> Conf::keys() { return kKeys; }

std::string Conf::envName(std::string_view key) {
  std::string name(key);
  for (char& c : name)
    c = c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return name;
}

std::string Conf::describeKeys() {
  std::string out;
  for (const ConfKey& k : kKeys) {
    out += "  " + std::string(k.name) + "  (default: " +
           (k.defaultValue.empty() ? std::string("computed") : std::string(k.defaultValue)) +
           ")\n      " + std::string(k.meaning) + "\n";
  }
  return out;
}

int64_t Conf::parseBytes(std::string_view key, std::string_view text) {
  constexpr std::string_view kExpected = "a size such as 512m or 2g (suffix b, k, m, g or t)";
  int64_t number = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc() || number < 0) badValue(key, text, kExpected);
  // Case-insensitive, as Spark's: "2G" and "512M" are common spellings.
  std::string suffix(end, text.data() + text.size());
  for (char& c : suffix) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  int shift = 0;
  if (suffix.empty() || suffix == "b")
    shift = 0;
  else if (suffix == "k" || suffix == "kb")
    shift = 10;
  else if (suffix == "m" || suffix == "mb")
    shift = 20;
  else if (suffix == "g" || suffix == "gb")
    shift = 30;
  else if (suffix == "t" || suffix == "tb")
    shift = 40;
  else
    badValue(key, text, kExpected);
  if (number > (INT64_MAX >> shift)) badValue(key, text, kExpected);
  return number << shift;
}

std::chrono::milliseconds Conf::parseDuration(std::string_view key, std::string_view text) {
  constexpr std::string_view kExpected =
      "a time such as 500ms, 3s or 2min (suffix ms, s, min or h)";
  int64_t number = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc() || number < 0) badValue(key, text, kExpected);
  const std::string_view suffix(end, static_cast<size_t>(text.data() + text.size() - end));
  int64_t millis = 0;
  if (suffix == "ms")
    millis = 1;
  else if (suffix.empty() || suffix == "s")
    millis = 1000;
  else if (suffix == "min" || suffix == "m")
    millis = 60'000;
  else if (suffix == "h")
    millis = 3'600'000;
  else
    badValue(key, text, kExpected);
  if (number > INT64_MAX / millis) badValue(key, text, kExpected);
  return std::chrono::milliseconds(number * millis);
}

}  // namespace ember

#pragma once
// Conf: ember's configuration, a set of validated `ember.*` keys.

#include <chrono>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>

namespace ember {

/// How a configuration value is parsed and checked.
/// kBytesOrOff: a size, or -1 for "off" (getBytes returns -1).
enum class ConfType {
  kString,
  kInt,
  kBool,
  kBytes,
  kBytesOrOff,
  kFraction,
  kNumber,
  kDuration,
  kMaster
};

/// One documented configuration key.
struct ConfKey {
  std::string_view name;
  ConfType type;
  std::string_view defaultValue;  ///< empty: computed at run time, see meaning
  std::string_view meaning;
};

/// Configuration of a Context. Values come, in increasing precedence, from
/// the key's default, the environment (EMBER_EXECUTOR_MEMORY for
/// ember.executor.memory), `--conf key=value` and `set()` in code, as in Spark.
///
/// Thread safety: const methods may be called concurrently; set() may not.
class Conf {
 public:
  /// Sets a key. Throws ConfigError for an unknown key (suggesting the
  /// closest known one; for a Spark key such as spark.executor.memory, its
  /// ember.* counterpart) or a value its type rejects.
  Conf& set(std::string_view key, std::string_view value);

  /// Sets a key only when it has no value from set() yet.
  Conf& setIfMissing(std::string_view key, std::string_view value);

  bool contains(std::string_view key) const;

  /// The value set, or the default. REQUIRES: key is a known key.
  std::string get(std::string_view key) const;
  int64_t getInt(std::string_view key) const;
  bool getBool(std::string_view key) const;
  /// A number in (0, 1].
  double getFraction(std::string_view key) const;
  /// A number greater than 0, such as 1.5.
  double getNumber(std::string_view key) const;
  /// A size such as 512m or 2g, in bytes.
  int64_t getBytes(std::string_view key) const;
  /// A time such as 500ms, 3s or 2min; a bare number is seconds.
  std::chrono::milliseconds getDuration(std::string_view key) const;

  /// Every key ember knows, in documentation order.
  static std::span<const ConfKey> keys();

  /// The table printed by --help: each key, its default and its meaning.
  static std::string describeKeys();

  /// The environment variable that sets a key: ember.executor.memory ->
  /// EMBER_EXECUTOR_MEMORY. Launchers pass --conf to their processes this way.
  static std::string envName(std::string_view key);

  /// Parses sizes as Spark does: a number with an optional b/k/m/g/t suffix
  /// (binary multiples); std::nullopt-like failure is reported by throwing.
  static int64_t parseBytes(std::string_view key, std::string_view text);
  /// Parses times as Spark does: a number with a ms, s, min or h suffix.
  static std::chrono::milliseconds parseDuration(std::string_view key, std::string_view text);

 private:
  std::map<std::string, std::string, std::less<>> values_;
};

}  // namespace ember

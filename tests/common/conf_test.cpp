// Conf and MasterUrl: setting, reading, validating and the environment.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <ember/ember.hpp>

#include "common/master_url.hpp"

namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Environment variable names written out by hand (not derived the way the
// library derives them), so that a wrong mapping fails the tests.
const std::vector<std::string> kEnvNames = {
    "EMBER_MASTER",          "EMBER_APP_NAME",         "EMBER_DEFAULT_PARALLELISM",
    "EMBER_EXECUTOR_MEMORY", "EMBER_TASK_MAXFAILURES", "EMBER_FILES_MAXPARTITIONBYTES",
    "EMBER_BATCH_SIZE",
};

/// Clears every ember variable from the environment before a test and
/// restores it afterwards, so that neither the caller's environment nor
/// another test changes what a test sees.
class ConfTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const std::string& name : kEnvNames) {
      if (const char* v = std::getenv(name.c_str())) saved_.emplace_back(name, v);
      ::unsetenv(name.c_str());
    }
  }
  void TearDown() override {
    for (const std::string& name : kEnvNames) ::unsetenv(name.c_str());
    for (const auto& [name, value] : saved_) ::setenv(name.c_str(), value.c_str(), 1);
  }

 private:
  std::vector<std::pair<std::string, std::string>> saved_;
};

/// The message of the ConfigError `f` throws; fails the test when it throws
/// nothing or something else.
template <class F>
std::string configErrorOf(F f) {
  try {
    f();
  } catch (const ember::ConfigError& e) {
    return e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "expected ember::ConfigError, got another exception: " << e.what();
    return "";
  }
  ADD_FAILURE() << "expected ember::ConfigError, nothing was thrown";
  return "";
}

TEST_F(ConfTest, SetValueIsReturnedByGet) {
  ember::Conf conf;
  conf.set("ember.executor.memory", "2g").set("ember.app.name", "my app");
  EXPECT_EQ(conf.get("ember.executor.memory"), "2g");
  EXPECT_EQ(conf.getBytes("ember.executor.memory"), int64_t{2} * 1024 * 1024 * 1024);
  EXPECT_EQ(conf.get("ember.app.name"), "my app");
  conf.set("ember.batch.size", "17");
  EXPECT_EQ(conf.getInt("ember.batch.size"), 17);
}

TEST_F(ConfTest, SetTwiceKeepsTheLastValue) {
  ember::Conf conf;
  conf.set("ember.batch.size", "10").set("ember.batch.size", "20");
  EXPECT_EQ(conf.getInt("ember.batch.size"), 20);
}

TEST_F(ConfTest, ContainsOnlyKeysSetInCode) {
  ember::Conf conf;
  EXPECT_FALSE(conf.contains("ember.master"));
  ::setenv("EMBER_MASTER", "local[2]", 1);
  EXPECT_FALSE(conf.contains("ember.master")) << "a value from the environment is not 'set'";
  conf.set("ember.master", "local[3]");
  EXPECT_TRUE(conf.contains("ember.master"));
}

TEST_F(ConfTest, UnsetKeysReturnTheirDocumentedDefaults) {
  ember::Conf conf;
  EXPECT_EQ(conf.get("ember.master"), "local[*]");
  EXPECT_EQ(conf.get("ember.executor.memory"), "1g");
  EXPECT_EQ(conf.getBytes("ember.executor.memory"), int64_t{1} << 30);
  EXPECT_EQ(conf.getInt("ember.task.maxFailures"), 4);
  EXPECT_EQ(conf.getBytes("ember.files.maxPartitionBytes"), int64_t{128} * 1024 * 1024);
  EXPECT_EQ(conf.getInt("ember.batch.size"), 4096);
  EXPECT_EQ(conf.get("ember.default.parallelism"), "");
  EXPECT_EQ(conf.get("ember.app.name"), "");
}

TEST_F(ConfTest, GetReturnsTheKeysTableDefaultForEveryKey) {
  ember::Conf conf;
  for (const ember::ConfKey& key : ember::Conf::keys()) {
    EXPECT_EQ(conf.get(key.name), std::string(key.defaultValue)) << key.name;
  }
}

TEST_F(ConfTest, KeysAreUniqueDocumentedAndTheirDefaultsValid) {
  std::set<std::string> names;
  for (const ember::ConfKey& key : ember::Conf::keys()) {
    EXPECT_TRUE(names.insert(std::string(key.name)).second) << "duplicate key " << key.name;
    EXPECT_TRUE(key.name.starts_with("ember.")) << key.name;
    EXPECT_FALSE(key.meaning.empty()) << key.name;
    if (!key.defaultValue.empty()) {
      ember::Conf conf;
      EXPECT_NO_THROW(conf.set(key.name, key.defaultValue)) << key.name;
    }
  }
  EXPECT_EQ(names.count("ember.executor.memory"), 1u);
  EXPECT_EQ(names.count("ember.master"), 1u);
}

TEST_F(ConfTest, DescribeKeysListsEveryKeyWithItsDefault) {
  std::string text = ember::Conf::describeKeys();
  for (const ember::ConfKey& key : ember::Conf::keys()) {
    EXPECT_THAT(text, HasSubstr(std::string(key.name))) << key.name;
    if (!key.defaultValue.empty()) {
      EXPECT_THAT(text, HasSubstr("default: " + std::string(key.defaultValue)));
    }
  }
}

TEST_F(ConfTest, SetIfMissingDoesNotOverrideASetValue) {
  ember::Conf conf;
  conf.setIfMissing("ember.batch.size", "5");
  EXPECT_EQ(conf.getInt("ember.batch.size"), 5);
  conf.setIfMissing("ember.batch.size", "9");
  EXPECT_EQ(conf.getInt("ember.batch.size"), 5);
}

TEST_F(ConfTest, UnknownKeyOnSetSuggestsTheClosestKey) {
  ember::Conf conf;
  std::string msg = configErrorOf([&] { conf.set("ember.executor.memroy", "2g"); });
  EXPECT_THAT(msg, HasSubstr("'ember.executor.memroy'"));
  EXPECT_THAT(msg, HasSubstr("did you mean 'ember.executor.memory'"));
  EXPECT_FALSE(conf.contains("ember.executor.memroy"));
}

TEST_F(ConfTest, UnknownKeyOnGetSuggestsTheClosestKey) {
  ember::Conf conf;
  std::string msg = configErrorOf([&] { conf.get("ember.mastr"); });
  EXPECT_THAT(msg, HasSubstr("did you mean 'ember.master'"));
}

TEST_F(ConfTest, UnrelatedUnknownKeyGetsNoSuggestion) {
  ember::Conf conf;
  std::string msg = configErrorOf([&] { conf.set("completely.different.thing", "1"); });
  EXPECT_THAT(msg, HasSubstr("'completely.different.thing'"));
  EXPECT_THAT(msg, Not(HasSubstr("did you mean")));
}

TEST_F(ConfTest, SparkKeyNamesItsEmberCounterpart) {
  ember::Conf conf;
  std::string msg = configErrorOf([&] { conf.set("spark.executor.memory", "2g"); });
  EXPECT_THAT(msg, HasSubstr("'spark.executor.memory'"));
  EXPECT_THAT(msg, HasSubstr("ember's keys start with 'ember.'"));
  EXPECT_THAT(msg, HasSubstr("did you mean 'ember.executor.memory'?"));
  EXPECT_FALSE(conf.contains("spark.executor.memory"));
  // Too short for the prefix to pass as a typo: only the counterpart finds it.
  EXPECT_THAT(configErrorOf([&] { conf.get("spark.master"); }),
              HasSubstr("did you mean 'ember.master'?"));
}

TEST_F(ConfTest, SparkKeyWithoutCounterpartSaysHowEmberKeysStart) {
  ember::Conf conf;
  std::string msg = configErrorOf([&] { conf.set("spark.yarn.queue", "etl"); });
  EXPECT_THAT(msg, HasSubstr("'spark.yarn.queue'"));
  EXPECT_THAT(msg, HasSubstr("ember's keys start with 'ember.'"));
  EXPECT_THAT(msg, Not(HasSubstr("did you mean")));
  // A misspelt Spark key still gets the closest ember key.
  msg = configErrorOf([&] { conf.set("spark.executor.memroy", "2g"); });
  EXPECT_THAT(msg, HasSubstr("ember's keys start with 'ember.'"));
  EXPECT_THAT(msg, HasSubstr("did you mean 'ember.executor.memory'?"));
}

TEST_F(ConfTest, NonSparkUnknownKeyDoesNotMentionThePrefix) {
  ember::Conf conf;
  EXPECT_THAT(configErrorOf([&] { conf.set("ember.executor.memroy", "2g"); }),
              Not(HasSubstr("start with")));
}

TEST_F(ConfTest, MalformedSizeNamesTheKeyAndAnExample) {
  ember::Conf conf;
  std::string msg = configErrorOf([&] { conf.set("ember.executor.memory", "lots"); });
  EXPECT_THAT(msg, HasSubstr("'lots'"));
  EXPECT_THAT(msg, HasSubstr("ember.executor.memory"));
  EXPECT_THAT(msg, HasSubstr("512m"));
  EXPECT_EQ(conf.get("ember.executor.memory"), "1g") << "a rejected value must not be stored";
}

TEST_F(ConfTest, MalformedSizesAreRejected) {
  for (const char* bad :
       {"lots", "", "-1", "-1g", "1.5g", "2x", "g", "1 g", "12q", "99999999999t"}) {
    ember::Conf conf;
    std::string msg = configErrorOf([&] { conf.set("ember.executor.memory", bad); });
    EXPECT_THAT(msg, HasSubstr("ember.executor.memory")) << "value '" << bad << "'";
  }
}

TEST_F(ConfTest, SizesParseWithBinarySuffixes) {
  struct Case {
    const char* text;
    int64_t bytes;
  };
  const Case cases[] = {
      {"10", 10},
      {"0", 0},
      {"10b", 10},
      {"1k", 1024},
      {"1kb", 1024},
      {"512m", int64_t{512} * 1024 * 1024},
      {"2g", int64_t{2} * 1024 * 1024 * 1024},
      {"2gb", int64_t{2} * 1024 * 1024 * 1024},
      {"3t", int64_t{3} * 1024 * 1024 * 1024 * 1024},
      // Spark reads sizes case-insensitively: "2G" is how most people write it.
      {"2G", int64_t{2} * 1024 * 1024 * 1024},
      {"512M", int64_t{512} * 1024 * 1024},
      {"4KB", 4096},
  };
  for (const Case& c : cases) {
    ember::Conf conf;
    EXPECT_NO_THROW(conf.set("ember.executor.memory", c.text)) << c.text;
    EXPECT_EQ(ember::Conf::parseBytes("ember.executor.memory", c.text), c.bytes) << c.text;
    EXPECT_EQ(conf.getBytes("ember.executor.memory"), c.bytes) << c.text;
  }
}

TEST_F(ConfTest, DurationsParseWithTimeSuffixesAndBareNumbersAreSeconds) {
  using std::chrono::milliseconds;
  struct Case {
    const char* text;
    milliseconds time;
  };
  const Case cases[] = {
      {"120", milliseconds(120'000)},  {"0", milliseconds(0)},
      {"250ms", milliseconds(250)},    {"3s", milliseconds(3'000)},
      {"2min", milliseconds(120'000)}, {"2m", milliseconds(120'000)},
      {"1h", milliseconds(3'600'000)},
  };
  for (const Case& c : cases) {
    ember::Conf conf;
    EXPECT_NO_THROW(conf.set("ember.network.timeout", c.text)) << c.text;
    EXPECT_EQ(conf.getDuration("ember.network.timeout"), c.time) << c.text;
  }
  for (const char* bad : {"-1s", "", "3 s", "1.5s", "3sec", "s", "99999999999999999999h"}) {
    ember::Conf conf;
    std::string msg = configErrorOf([&] { conf.set("ember.locality.wait", bad); });
    EXPECT_THAT(msg, HasSubstr("ember.locality.wait")) << "value '" << bad << "'";
    EXPECT_THAT(msg, HasSubstr("500ms, 3s or 2min")) << "value '" << bad << "'";
  }
}

TEST_F(ConfTest, MalformedIntegersAreRejected) {
  for (const char* bad : {"-1", "0", "", "abc", "12abc", "1.5", " 3", "99999999999999999999"}) {
    ember::Conf conf;
    std::string msg = configErrorOf([&] { conf.set("ember.batch.size", bad); });
    EXPECT_THAT(msg, HasSubstr("ember.batch.size")) << "value '" << bad << "'";
    EXPECT_THAT(msg, HasSubstr("positive integer")) << "value '" << bad << "'";
  }
  ember::Conf conf;
  EXPECT_THAT(configErrorOf([&] { conf.set("ember.default.parallelism", "-4"); }),
              HasSubstr("ember.default.parallelism"));
}

TEST_F(ConfTest, MalformedMastersAreRejected) {
  for (const char* bad :
       {"local[0]", "local[x]", "yarn", "local[", "local[]", "local[2", "local[-1]", "local[2,0]",
        "local[2,]", "local[,2]", "local[2,x]", "LOCAL", "local[2]x", "spark://host:7077"}) {
    ember::Conf conf;
    std::string msg = configErrorOf([&] { conf.set("ember.master", bad); });
    EXPECT_THAT(msg, HasSubstr("invalid master '" + std::string(bad) + "'")) << bad;
    EXPECT_THAT(msg, HasSubstr("local[N]")) << bad;
  }
}

TEST_F(ConfTest, StringKeysAcceptAnything) {
  ember::Conf conf;
  conf.set("ember.app.name", "");
  EXPECT_EQ(conf.get("ember.app.name"), "");
  conf.set("ember.app.name", "=weird= value");
  EXPECT_EQ(conf.get("ember.app.name"), "=weird= value");
}

TEST_F(ConfTest, EnvironmentVariableIsReadWhenNotSetInCode) {
  ::setenv("EMBER_EXECUTOR_MEMORY", "3g", 1);
  ember::Conf conf;
  EXPECT_EQ(conf.get("ember.executor.memory"), "3g");
  EXPECT_EQ(conf.getBytes("ember.executor.memory"), int64_t{3} << 30);
  ::setenv("EMBER_TASK_MAXFAILURES", "7", 1);
  EXPECT_EQ(conf.getInt("ember.task.maxFailures"), 7);
  ::setenv("EMBER_FILES_MAXPARTITIONBYTES", "1k", 1);
  EXPECT_EQ(conf.getBytes("ember.files.maxPartitionBytes"), 1024);
}

TEST_F(ConfTest, EnvironmentIsReadAtGetTimeNotAtConstruction) {
  ember::Conf conf;
  EXPECT_EQ(conf.get("ember.executor.memory"), "1g");
  ::setenv("EMBER_EXECUTOR_MEMORY", "5m", 1);
  EXPECT_EQ(conf.get("ember.executor.memory"), "5m");
  ::unsetenv("EMBER_EXECUTOR_MEMORY");
  EXPECT_EQ(conf.get("ember.executor.memory"), "1g");
}

TEST_F(ConfTest, CodeTakesPrecedenceOverEnvironment) {
  ::setenv("EMBER_EXECUTOR_MEMORY", "3g", 1);
  ember::Conf conf;
  conf.set("ember.executor.memory", "256m");
  EXPECT_EQ(conf.get("ember.executor.memory"), "256m");
  EXPECT_EQ(conf.getBytes("ember.executor.memory"), int64_t{256} << 20);
}

TEST_F(ConfTest, MalformedEnvironmentValueIsAConfigErrorNamingTheKey) {
  ::setenv("EMBER_EXECUTOR_MEMORY", "lots", 1);
  ember::Conf conf;
  std::string msg = configErrorOf([&] { conf.get("ember.executor.memory"); });
  EXPECT_THAT(msg, HasSubstr("ember.executor.memory"));
  EXPECT_THAT(msg, HasSubstr("'lots'"));
  // A value set in code hides the bad environment value.
  conf.set("ember.executor.memory", "1g");
  EXPECT_EQ(conf.getBytes("ember.executor.memory"), int64_t{1} << 30);
}

TEST_F(ConfTest, ContextRejectsAMalformedEnvironmentValueAtConstruction) {
  ::setenv("EMBER_TASK_MAXFAILURES", "zero", 1);
  std::string msg =
      configErrorOf([] { ember::Context ctx(ember::Conf().set("ember.master", "local[1]")); });
  EXPECT_THAT(msg, HasSubstr("ember.task.maxFailures"));
  EXPECT_THAT(msg, HasSubstr("'zero'"));
}

TEST_F(ConfTest, ContextUsesTheEnvironmentMaster) {
  ::setenv("EMBER_MASTER", "local[3]", 1);
  ember::Context ctx{ember::Conf()};
  EXPECT_EQ(ctx.master(), "local[3]");
  EXPECT_EQ(ctx.defaultParallelism(), 3);
}

TEST_F(ConfTest, ContextKeepsTheEnvironmentItStartedWith) {
  ::setenv("EMBER_MASTER", "local[3]", 1);
  ::setenv("EMBER_BATCH_SIZE", "128", 1);
  ember::Context ctx{ember::Conf()};
  ::setenv("EMBER_MASTER", "local[1]", 1);
  ::unsetenv("EMBER_BATCH_SIZE");
  EXPECT_EQ(ctx.master(), "local[3]") << "the master the context runs on, not today's environment";
  EXPECT_EQ(ctx.defaultParallelism(), 3);
  EXPECT_EQ(ctx.getConf().getInt("ember.batch.size"), 128);
}

TEST_F(ConfTest, ContextDefaultParallelismFollowsConf) {
  ember::Context ctx(
      ember::Conf().set("ember.master", "local[2]").set("ember.default.parallelism", "7"));
  EXPECT_EQ(ctx.defaultParallelism(), 7);
  EXPECT_EQ(ctx.parallelize(std::vector<int>{1, 2, 3}).getNumPartitions(), 7);
  EXPECT_EQ(ctx.getConf().getInt("ember.default.parallelism"), 7);
}

TEST(MasterUrl, LocalIsOneCoreOneAttempt) {
  auto url = ember::MasterUrl::parse("local");
  EXPECT_EQ(url.cores, 1);
  EXPECT_EQ(url.maxTaskAttempts, 1);
}

TEST(MasterUrl, LocalNGivesNCores) {
  auto url = ember::MasterUrl::parse("local[3]");
  EXPECT_EQ(url.cores, 3);
  EXPECT_EQ(url.maxTaskAttempts, 1);
  EXPECT_EQ(ember::MasterUrl::parse("local[16]").cores, 16);
}

TEST(MasterUrl, LocalStarUsesEveryCore) {
  int expected = static_cast<int>(std::thread::hardware_concurrency());
  if (expected < 1) expected = 1;
  auto url = ember::MasterUrl::parse("local[*]");
  EXPECT_EQ(url.cores, expected);
  EXPECT_EQ(url.maxTaskAttempts, 1);
}

TEST(MasterUrl, LocalWithFailuresSetsAttempts) {
  auto url = ember::MasterUrl::parse("local[2,4]");
  EXPECT_EQ(url.cores, 2);
  EXPECT_EQ(url.maxTaskAttempts, 4);
  auto star = ember::MasterUrl::parse("local[*,3]");
  EXPECT_EQ(star.maxTaskAttempts, 3);
  EXPECT_GE(star.cores, 1);
}

TEST(MasterUrl, MalformedMasterThrowsConfigError) {
  for (const char* bad : {"local[0]", "local[x]", "yarn", "local[*,*]", "local[1,2,3]", ""}) {
    EXPECT_THROW(ember::MasterUrl::parse(bad), ember::ConfigError) << bad;
  }
}

}  // namespace

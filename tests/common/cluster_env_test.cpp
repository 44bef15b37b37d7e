// ClusterEnv: a process's rank, size and driver address, from ember-run's,
// mpirun's or srun's environment.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <optional>
#include <string>

#include "common/cluster_env.hpp"
#include "common/error.hpp"

namespace ember {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

const std::string kSecret(64, 'a');

/// Clears every variable ClusterEnv reads, and puts them back afterwards.
class ClusterEnvTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : kVariables) {
      if (const char* value = std::getenv(name)) saved_[name] = value;
      ::unsetenv(name);
    }
  }
  void TearDown() override {
    for (const char* name : kVariables) ::unsetenv(name);
    for (const auto& [name, value] : saved_) ::setenv(name.c_str(), value.c_str(), 1);
  }

  static void set(const char* name, const std::string& value) { ::setenv(name, value.c_str(), 1); }
  static void setDriver() {
    set("EMBER_DRIVER_HOST", "node1");
    set("EMBER_DRIVER_PORT", "7077");
    set("EMBER_SECRET", kSecret);
  }
  /// The message of the ConfigError fromEnvironment() throws, "" if none.
  static std::string errorOf() {
    try {
      ClusterEnv::fromEnvironment();
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "";
  }

 private:
  static constexpr const char* kVariables[] = {
      "EMBER_RANK",   "EMBER_SIZE",           "EMBER_DRIVER_HOST", "EMBER_DRIVER_PORT",
      "EMBER_SECRET", "EMBER_HOST",           "EMBER_LOG_DIR",     "OMPI_COMM_WORLD_RANK",
      "PMI_RANK",     "OMPI_COMM_WORLD_SIZE", "PMI_SIZE",          "SLURM_PROCID",
      "SLURM_NTASKS"};
  std::map<std::string, std::string> saved_;
};

TEST_F(ClusterEnvTest, NoLauncherMeansLocalMode) {
  EXPECT_EQ(ClusterEnv::fromEnvironment(), std::nullopt);
}

TEST_F(ClusterEnvTest, ReadsEverythingEmberRunSets) {
  const ClusterEnv expected{2, 3, "127.0.0.1", 40123, kSecret, "127.0.0.1", "/tmp/logs"};
  for (const auto& [name, value] : expected.toEnvironment()) set(name.c_str(), value);
  std::optional<ClusterEnv> env = ClusterEnv::fromEnvironment();
  ASSERT_TRUE(env);
  EXPECT_EQ(env->rank, 2);
  EXPECT_EQ(env->size, 3);
  EXPECT_EQ(env->driverHost, "127.0.0.1");
  EXPECT_EQ(env->driverPort, 40123);
  EXPECT_EQ(env->secret, kSecret);
  EXPECT_EQ(env->host, "127.0.0.1");
  EXPECT_EQ(env->logDir, "/tmp/logs");
  EXPECT_FALSE(env->isDriver());
}

TEST_F(ClusterEnvTest, ReadsRankAndSizeFromOpenMpi) {
  set("OMPI_COMM_WORLD_RANK", "0");
  set("OMPI_COMM_WORLD_SIZE", "4");
  setDriver();
  std::optional<ClusterEnv> env = ClusterEnv::fromEnvironment();
  ASSERT_TRUE(env);
  EXPECT_EQ(env->rank, 0);
  EXPECT_EQ(env->size, 4);
  EXPECT_TRUE(env->isDriver());
  EXPECT_EQ(env->driverHost, "node1");
  EXPECT_FALSE(env->host.empty()) << "defaults to this machine's name";
  EXPECT_EQ(env->logDir, "");
}

TEST_F(ClusterEnvTest, ReadsRankAndSizeFromPmi) {
  set("PMI_RANK", "1");
  set("PMI_SIZE", "2");
  setDriver();
  set("EMBER_DRIVER_HOST", "localhost");
  std::optional<ClusterEnv> env = ClusterEnv::fromEnvironment();
  ASSERT_TRUE(env);
  EXPECT_EQ(env->rank, 1);
  EXPECT_EQ(env->size, 2);
  EXPECT_EQ(env->host, "127.0.0.1") << "a driver on loopback means one machine";
}

TEST_F(ClusterEnvTest, ReadsRankAndSizeFromSlurm) {
  set("SLURM_PROCID", "5");
  set("SLURM_NTASKS", "8");
  setDriver();
  set("EMBER_HOST", "node6");
  std::optional<ClusterEnv> env = ClusterEnv::fromEnvironment();
  ASSERT_TRUE(env);
  EXPECT_EQ(env->rank, 5);
  EXPECT_EQ(env->size, 8);
  EXPECT_EQ(env->host, "node6");
}

TEST_F(ClusterEnvTest, EmberVariablesWinOverMpirun) {
  set("OMPI_COMM_WORLD_RANK", "3");
  set("OMPI_COMM_WORLD_SIZE", "4");
  set("EMBER_RANK", "1");
  set("EMBER_SIZE", "2");
  setDriver();
  std::optional<ClusterEnv> env = ClusterEnv::fromEnvironment();
  ASSERT_TRUE(env);
  EXPECT_EQ(env->rank, 1);
  EXPECT_EQ(env->size, 2);
}

TEST_F(ClusterEnvTest, MpirunWithoutTheDriverSaysWhatToExport) {
  set("OMPI_COMM_WORLD_RANK", "0");
  set("OMPI_COMM_WORLD_SIZE", "2");
  EXPECT_THAT(errorOf(),
              AllOf(HasSubstr("started by mpirun (OMPI_COMM_WORLD_RANK is set)"),
                    HasSubstr("EMBER_DRIVER_HOST, EMBER_DRIVER_PORT, EMBER_SECRET are not set"),
                    HasSubstr("mpirun -x EMBER_DRIVER_HOST=")));
}

TEST_F(ClusterEnvTest, SrunWithoutTheSecretNamesIt) {
  set("SLURM_PROCID", "0");
  set("SLURM_NTASKS", "2");
  set("EMBER_DRIVER_HOST", "node1");
  set("EMBER_DRIVER_PORT", "7077");
  EXPECT_THAT(errorOf(),
              AllOf(HasSubstr("started by srun"), HasSubstr("but EMBER_SECRET is not set"),
                    HasSubstr("export EMBER_DRIVER_HOST=")));
}

TEST_F(ClusterEnvTest, RankWithoutSizeIsAnError) {
  set("EMBER_RANK", "0");
  setDriver();
  EXPECT_THAT(errorOf(), HasSubstr("but EMBER_SIZE is not set"));
}

TEST_F(ClusterEnvTest, MalformedValuesNameTheirVariable) {
  setDriver();
  set("EMBER_SIZE", "3");
  set("EMBER_RANK", "x");
  EXPECT_THAT(errorOf(), HasSubstr("invalid EMBER_RANK='x'"));
  set("EMBER_RANK", "3");
  EXPECT_THAT(errorOf(), AllOf(HasSubstr("invalid EMBER_RANK='3'"), HasSubstr("0 to 2")));
  set("EMBER_RANK", "0");
  set("EMBER_SIZE", "0");
  EXPECT_THAT(errorOf(), HasSubstr("invalid EMBER_SIZE='0'"));
  set("EMBER_SIZE", "3");
  set("EMBER_DRIVER_PORT", "70000");
  EXPECT_THAT(errorOf(), HasSubstr("invalid EMBER_DRIVER_PORT='70000'"));
  set("EMBER_DRIVER_PORT", "7077");
  set("EMBER_SECRET", "not-hex-and-short");
  EXPECT_THAT(errorOf(), AllOf(HasSubstr("invalid EMBER_SECRET"), HasSubstr("64 hex"),
                               Not(HasSubstr("not-hex-and-short"))));
}

}  // namespace
}  // namespace ember

#pragma once
// Runs a test over several execution shapes: every job must give the same
// answer on one thread and on several.

#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <string>

#include <ember/ember.hpp>

#include "support/temp_dir.hpp"

namespace ember::testing {

/// Under local-cluster, the processes the driver starts run only the
/// current test, and name their temporary directories as the driver does.
inline Conf clusterConf(Conf conf) {
  if (!conf.get("ember.master").starts_with("local-cluster")) return conf;
  const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
  conf.set("ember.localCluster.args",
           std::string("--gtest_filter=") + info->test_suite_name() + "." + info->name());
  ::setenv("EMBER_TEST_RUN_ID", testRunId().c_str(), 0);
  return conf;
}

/// A fixture parametrized by master URL. Use TEST_P(Suite, Case) with a
/// `class Suite : public ember::testing::ShapedTest {};` and
/// EMBER_INSTANTIATE_SHAPES(Suite).
class ShapedTest : public ::testing::TestWithParam<std::string> {
 protected:
  /// The context, made on first use from conf() and the shape's master.
  Context& ctx() {
    if (!ctx_)
      ctx_ = std::make_unique<Context>(clusterConf(conf().set("ember.master", GetParam())));
    return *ctx_;
  }

  /// The settings of the fixture's context besides the master. A suite that
  /// runs under another configuration (a tiny memory budget, say) overrides
  /// it instead of repeating the fixture.
  virtual Conf conf() const { return Conf(); }

  /// Destroys the context (the next ctx() makes a new one), so a test can
  /// check what it leaves behind.
  void resetContext() { ctx_.reset(); }

  /// A directory for the test's files that outlives the context: on a
  /// cluster, the other processes may still read it when the driver's test
  /// body has ended.
  TempDir& tempDir() {
    if (!tempDir_) tempDir_ = std::make_unique<TempDir>();
    return *tempDir_;
  }

  /// Under local-cluster a check that failed in another process (which runs
  /// the same test) fails the test here: stop() names the process that
  /// exited with an error and its log.
  void TearDown() override {
    if (!ctx_) return;
    try {
      ctx_->stop();
    } catch (const std::exception& e) {
      ADD_FAILURE() << e.what();
    }
  }

 private:
  std::unique_ptr<TempDir> tempDir_;  // declared first: destroyed after ctx_
  std::unique_ptr<Context> ctx_;
};

inline std::string shapeName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name;
  for (char c : info.param) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return name;
}

}  // namespace ember::testing

/// Prefixes a check of what a listener heard of jobs, stages and tasks: on
/// a cluster only the driver hears those events, so other processes skip it.
#define EMBER_ON_DRIVER(context) \
  if (!(context).isDriver()) {   \
  } else

#define EMBER_INSTANTIATE_SHAPES(Suite)                                                          \
  INSTANTIATE_TEST_SUITE_P(Shapes, Suite, ::testing::Values("local[1]", "local[2]", "local[4]"), \
                           ::ember::testing::shapeName)

/// The local shapes and local-cluster[3,1]: three processes of the test
/// program. For suites whose checks hold when tasks run in other processes
/// (results, not side effects of the lambdas in this process).
#define EMBER_INSTANTIATE_SHAPES_AND_CLUSTER(Suite)                                               \
  INSTANTIATE_TEST_SUITE_P(                                                                       \
      Shapes, Suite, ::testing::Values("local[1]", "local[2]", "local[4]", "local-cluster[3,1]"), \
      ::ember::testing::shapeName)

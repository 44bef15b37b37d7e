#pragma once
// Runs a test over several execution shapes: every job must give the same
// answer on one thread and on several.

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include <ember/ember.hpp>

namespace ember::testing {

/// A fixture parametrized by master URL. Use TEST_P(Suite, Case) with a
/// `class Suite : public ember::testing::ShapedTest {};` and
/// EMBER_INSTANTIATE_SHAPES(Suite).
class ShapedTest : public ::testing::TestWithParam<std::string> {
 protected:
  /// The context, made on first use from conf() and the shape's master.
  Context& ctx() {
    if (!ctx_) ctx_ = std::make_unique<Context>(conf().set("ember.master", GetParam()));
    return *ctx_;
  }

  /// The settings of the fixture's context besides the master. A suite that
  /// runs under another configuration (a tiny memory budget, say) overrides
  /// it instead of repeating the fixture.
  virtual Conf conf() const { return Conf(); }

  /// Destroys the context (the next ctx() makes a new one), so a test can
  /// check what it leaves behind.
  void resetContext() { ctx_.reset(); }

 private:
  std::unique_ptr<Context> ctx_;
};

inline std::string shapeName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name;
  for (char c : info.param) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return name;
}

}  // namespace ember::testing

#define EMBER_INSTANTIATE_SHAPES(Suite)                                                          \
  INSTANTIATE_TEST_SUITE_P(Shapes, Suite, ::testing::Values("local[1]", "local[2]", "local[4]"), \
                           ::ember::testing::shapeName)

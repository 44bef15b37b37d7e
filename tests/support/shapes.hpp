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
  Context& ctx() {
    if (!ctx_) ctx_ = std::make_unique<Context>(Conf().set("ember.master", GetParam()));
    return *ctx_;
  }

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

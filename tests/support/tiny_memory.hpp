#pragma once
// TinyMemoryTest: a shaped test whose context has far less memory than its
// jobs' data, so that every operator must spill.

#include <memory>

#include <ember/ember.hpp>

#include "support/metrics.hpp"
#include "support/shapes.hpp"
#include "support/temp_dir.hpp"

namespace ember::testing {

/// A 2 MiB budget, spill files in the test's own directory, 2 shuffle
/// partitions, and a recorder of the tasks' metrics (spilled bytes). A
/// suite that needs more settings overrides conf() and starts from
/// TinyMemoryTest::conf().
class TinyMemoryTest : public ShapedTest {
 protected:
  Conf conf() const override {
    return Conf()
        .set("ember.executor.memory", "2m")
        .set("ember.sql.shuffle.partitions", "2")
        .set("ember.local.dir", dir_.path());
  }

  /// The context, with the recorder listening.
  Context& recordedCtx() {
    if (!listening_) {
      ctx().addListener(recorder_);
      listening_ = true;
    }
    return ctx();
  }

  /// That the result stages (where DataFrame operators below the last
  /// exchange run) spilled to memory and disk.
  void expectResultStagesSpilled(const char* what) {
    EMBER_ON_DRIVER(ctx()) {
      EXPECT_GT(recorder_->resultStages().memoryBytesSpilled, 0) << what << " did not spill";
      EXPECT_GT(recorder_->resultStages().diskBytesSpilled, 0) << what << " wrote no spill file";
    }
  }

 private:
  TempDir dir_;
  std::shared_ptr<MetricsRecorder> recorder_ = std::make_shared<MetricsRecorder>();
  bool listening_ = false;
};

}  // namespace ember::testing

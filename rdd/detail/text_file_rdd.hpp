#pragma once
// TextFileRdd: the lines of text files, split by byte ranges.

#include <cstdint>
#include <string>
#include <vector>

#include "rdd/detail/node.hpp"

namespace ember::detail {

/// A byte range of one file. The split owns every line whose first byte lies
/// in [start, start + length), read whole even when it ends past the range:
/// so each line is read exactly once, whichever split boundaries cut it.
struct FileSplit {
  std::string path;
  int64_t start = 0;
  int64_t length = 0;
};

/// Lists the files of `path` (a file, a directory's visible files, or a glob
/// pattern) and cuts them into splits as Hadoop does: about
/// total / minPartitions bytes each, at most maxSplitBytes. Throws IoError
/// naming the path when it does not exist, matches nothing or is unreadable.
std::vector<FileSplit> planTextSplits(const std::string& path, int minPartitions,
                                      int64_t maxSplitBytes);

/// Reads the lines `split` owns (without their "\n" or "\r\n") and pushes
/// them in batches of `batchSize`. Throws IoError when the file fails.
void readTextSplit(const FileSplit& split, size_t batchSize, Sink<std::string>& out,
                   int64_t& bytesRead);

class TextFileRdd final : public Node<std::string> {
 public:
  TextFileRdd(std::shared_ptr<Runtime> rt, std::string callSite, std::string path,
              std::vector<FileSplit> splits)
      : Node<std::string>(std::move(rt), "TextFileRDD", std::move(callSite),
                          static_cast<int>(splits.size()), {}),
        path_(std::move(path)),
        splits_(std::move(splits)) {}

  void compute(int p, TaskContext& tc, Sink<std::string>& out) override {
    int64_t lines = 0;
    auto counting = makeSink<std::string>([&](std::vector<std::string>& batch) {
      lines += static_cast<int64_t>(batch.size());
      tc.killTaskIfInterrupted();
      out.push(batch);
    });
    readTextSplit(splits_[static_cast<size_t>(p)], runtime()->batchSize, counting,
                  tc.metrics().inputBytes);
    tc.metrics().inputRecords += lines;
  }

  std::string label() const override { return path_; }

 private:
  std::string path_;
  std::vector<FileSplit> splits_;
};

}  // namespace ember::detail

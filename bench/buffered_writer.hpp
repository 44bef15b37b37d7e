#pragma once
// BufferedWriter: what the benchmark input generators write through.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string_view>
#include <vector>

namespace ember_bench {

inline constexpr std::size_t kWriteBufferBytes = std::size_t{1} << 20;

// stdio's own buffer is small and per-call overhead shows at hundreds of MiB/s, so
// text is assembled in a large buffer and handed to fwrite in big blocks.
class BufferedWriter {
 public:
  explicit BufferedWriter(std::FILE* file) : file_(file) { buffer_.reserve(kWriteBufferBytes); }

  void append(std::string_view text) {
    if (buffer_.size() + text.size() > kWriteBufferBytes) flush();
    buffer_.insert(buffer_.end(), text.begin(), text.end());
    written_ += text.size();
  }

  void append(char c) {
    if (buffer_.size() == kWriteBufferBytes) flush();
    buffer_.push_back(c);
    ++written_;
  }

  // Returns false on a write error (e.g. disk full).
  bool flush() {
    if (!buffer_.empty() &&
        std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) {
      ok_ = false;
    }
    buffer_.clear();
    return ok_;
  }

  std::uint64_t written() const { return written_; }

 private:
  std::FILE* file_;
  std::vector<char> buffer_;
  std::uint64_t written_ = 0;
  bool ok_ = true;
};

}  // namespace ember_bench

#pragma once
// OutputFile: a generated input file that appears complete or not at all.

#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "buffered_writer.hpp"

namespace ember_bench {

// Written through a large buffer under `<path>.tmp` and renamed to `path` by commit(),
// so that an interrupted generator never leaves a truncated file that a benchmark
// script would take for a cached input. Errors print `<program>: ...` and exit(1): the
// generators have nothing to recover.
class OutputFile {
 public:
  OutputFile(std::string path, const char* program)
      : path_(std::move(path)), tmp_(path_ + ".tmp"), program_(program) {
    file_ = std::fopen(tmp_.c_str(), "wb");
    if (file_ == nullptr) {
      std::fprintf(stderr, "%s: cannot open '%s': %s\n", program_, tmp_.c_str(),
                   std::strerror(errno));
      std::exit(1);
    }
    writer_.emplace(file_);
  }
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  ~OutputFile() {
    if (file_ != nullptr) {  // not committed: an error path, leave no partial file
      std::fclose(file_);
      std::remove(tmp_.c_str());
    }
  }

  void append(std::string_view text) { writer_->append(text); }
  void append(char c) { writer_->append(c); }

  void append(std::uint64_t number) {
    char digits[24];
    const auto result = std::to_chars(digits, digits + sizeof digits, number);
    append(std::string_view(digits, static_cast<std::size_t>(result.ptr - digits)));
  }

  std::uint64_t written() const { return writer_->written(); }
  const std::string& path() const { return path_; }

  void commit() {
    const bool flushed = writer_->flush();
    const bool closed = std::fclose(file_) == 0;
    file_ = nullptr;
    if (!flushed || !closed || std::rename(tmp_.c_str(), path_.c_str()) != 0) {
      std::fprintf(stderr, "%s: writing '%s' failed: %s\n", program_, path_.c_str(),
                   std::strerror(errno));
      std::remove(tmp_.c_str());
      std::exit(1);
    }
  }

 private:
  std::string path_;
  std::string tmp_;
  const char* program_;
  std::FILE* file_ = nullptr;
  std::optional<BufferedWriter> writer_;
};

}  // namespace ember_bench

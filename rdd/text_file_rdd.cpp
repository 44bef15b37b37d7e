#include "rdd/detail/text_file_rdd.hpp"

#include <fcntl.h>
#include <glob.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>

#include "common/error.hpp"

namespace ember::detail {
namespace {

namespace fs = std::filesystem;

bool isGlob(const std::string& path) { return path.find_first_of("*?[") != std::string::npos; }

// Hadoop's convention: files starting with '_' or '.' are metadata
// (_SUCCESS, .crc), not data.
bool isHidden(const fs::path& p) {
  std::string name = p.filename().string();
  return name.empty() || name[0] == '_' || name[0] == '.';
}

void checkReadable(const std::string& file) {
  int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    throw IoError("cannot read input file '" + file + "': " + std::strerror(errno) +
                  "; check that it exists and that this user may read it");
  }
  ::close(fd);
}

void addPath(const fs::path& p, std::vector<std::string>& files) {
  std::error_code ec;
  if (fs::is_directory(p, ec)) {
    std::vector<std::string> inDir;
    for (const auto& entry : fs::directory_iterator(p, ec)) {
      if (!isHidden(entry.path()) && !entry.is_directory()) inDir.push_back(entry.path().string());
    }
    if (ec) throw IoError("cannot list input directory '" + p.string() + "': " + ec.message());
    std::sort(inDir.begin(), inDir.end());
    files.insert(files.end(), inDir.begin(), inDir.end());
  } else {
    files.push_back(p.string());
  }
}

std::vector<std::string> listInputFiles(const std::string& path) {
  std::vector<std::string> files;
  if (isGlob(path)) {
    glob_t matches{};
    int rc = ::glob(path.c_str(), 0, nullptr, &matches);
    if (rc == 0) {
      // Hidden matches (_SUCCESS, .crc) are skipped as in a directory, as Hadoop's filter does.
      for (size_t i = 0; i < matches.gl_pathc; ++i) {
        if (!isHidden(matches.gl_pathv[i])) addPath(matches.gl_pathv[i], files);
      }
    }
    ::globfree(&matches);
    if (rc == GLOB_NOMATCH || (rc == 0 && files.empty())) {
      throw IoError("input pattern '" + path +
                    "' matches no file; check the pattern and the working directory");
    }
    if (rc != 0) throw IoError("cannot expand input pattern '" + path + "'");
  } else {
    std::error_code ec;
    if (!fs::exists(path, ec)) {
      throw IoError("input path does not exist: '" + path +
                    "' (working directory: " + fs::current_path(ec).string() + ")");
    }
    addPath(path, files);
  }
  for (const std::string& f : files) checkReadable(f);
  return files;
}

}  // namespace

std::vector<FileSplit> planTextSplits(const std::string& path, int minPartitions,
                                      int64_t maxSplitBytes) {
  std::vector<std::pair<std::string, int64_t>> sized;
  int64_t total = 0;
  for (std::string& f : listInputFiles(path)) {
    std::error_code ec;
    auto size = static_cast<int64_t>(fs::file_size(f, ec));
    if (ec) throw IoError("cannot read input file '" + f + "': " + ec.message());
    total += size;
    sized.emplace_back(std::move(f), size);
  }
  const int64_t goal = total / std::max(minPartitions, 1);
  const int64_t splitSize = std::max<int64_t>(1, std::min(goal, maxSplitBytes));
  std::vector<FileSplit> splits;
  for (auto& [file, size] : sized) {
    int64_t offset = 0;
    // As Hadoop: a last piece up to 10% larger is not worth its own split.
    while (static_cast<double>(size - offset) / static_cast<double>(splitSize) > 1.1) {
      splits.push_back({file, offset, splitSize});
      offset += splitSize;
    }
    splits.push_back({file, offset, size - offset});
  }
  return splits;
}

namespace {

/// Reads a file sequentially through one large buffer.
class ChunkReader {
 public:
  // A small split gets a small buffer: a job with thousands of tiny splits
  // must not allocate a megabyte for each.
  ChunkReader(const std::string& path, int64_t offset, int64_t expected)
      : path_(path),
        offset_(offset),
        size_(static_cast<size_t>(std::clamp<int64_t>(expected, kMinChunk, kMaxChunk))),
        buf_(new char[size_]) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) throw IoError("cannot read input file '" + path + "': " + std::strerror(errno));
  }
  ~ChunkReader() { ::close(fd_); }
  ChunkReader(const ChunkReader&) = delete;
  ChunkReader& operator=(const ChunkReader&) = delete;

  /// The next bytes, empty at the end of the file.
  std::string_view next() {
    ssize_t n;
    do {
      n = ::pread(fd_, buf_.get(), size_, offset_);
    } while (n < 0 && errno == EINTR);
    if (n < 0) throw IoError("error reading input file '" + path_ + "': " + std::strerror(errno));
    offset_ += n;
    return {buf_.get(), static_cast<size_t>(n)};
  }

 private:
  static constexpr int64_t kMinChunk = int64_t{4} << 10;
  static constexpr int64_t kMaxChunk = int64_t{1} << 20;
  const std::string& path_;
  int64_t offset_;
  size_t size_;
  std::unique_ptr<char[]> buf_;
  int fd_;
};

}  // namespace

void readTextSplit(const FileSplit& split, size_t batchSize, Sink<std::string>& out,
                   int64_t& bytesRead) {
  const int64_t end = split.start + split.length;
  // Start one byte early: if that byte ends a line, the split's first line
  // starts exactly at `start` and is ours; otherwise we are inside a line
  // that the previous split owns, and skip to its end.
  int64_t pos = split.start > 0 ? split.start - 1 : 0;
  bool skipping = split.start > 0;
  int64_t lineStart = pos;
  std::string partial;  // a line that continues into the next chunk
  // Lines are assigned over the strings of the previous batch, so that their
  // heap buffers are reused instead of allocated once per line.
  std::vector<std::string> batch;
  size_t used = 0;
  auto emit = [&](std::string_view piece) {
    if (!partial.empty()) {
      partial.append(piece);
      piece = partial;
    }
    if (!piece.empty() && piece.back() == '\r') piece.remove_suffix(1);
    if (used == batch.size()) {
      batch.emplace_back(piece);
    } else {
      batch[used].assign(piece);
    }
    ++used;
    partial.clear();
    if (used == batchSize) {
      out.push(batch);
      used = 0;
    }
  };

  ChunkReader reader(split.path, pos, split.length + 1);
  bool done = false;
  for (std::string_view chunk = reader.next(); !chunk.empty() && !done; chunk = reader.next()) {
    bytesRead += static_cast<int64_t>(chunk.size());
    size_t cursor = 0;
    while (cursor < chunk.size()) {
      if (!skipping && lineStart >= end) {
        done = true;
        break;
      }
      const void* nl = std::memchr(chunk.data() + cursor, '\n', chunk.size() - cursor);
      if (!nl) {
        if (!skipping) partial.append(chunk.substr(cursor));
        break;
      }
      size_t lineEnd = static_cast<size_t>(static_cast<const char*>(nl) - chunk.data());
      if (!skipping) emit(chunk.substr(cursor, lineEnd - cursor));
      skipping = false;
      lineStart = pos + static_cast<int64_t>(lineEnd) + 1;
      cursor = lineEnd + 1;
    }
    pos += static_cast<int64_t>(chunk.size());
  }
  // A last line without a final newline.
  if (!done && !skipping && !partial.empty() && lineStart < end) emit("");
  if (used > 0) {
    batch.resize(used);
    out.push(batch);
  }
}

}  // namespace ember::detail

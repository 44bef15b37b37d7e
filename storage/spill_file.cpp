#include "storage/spill_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "common/error.hpp"
#include "storage/detail/file_io.hpp"
#include "storage/detail/frame_header.hpp"

namespace ember {
namespace {

[[noreturn]] void cannotCreate(const std::filesystem::path& dir, const std::string& reason) {
  throw IoError("cannot create a spill file in " + dir.string() + ": " + reason +
                "; set ember.local.dir to a writable directory with space");
}

}  // namespace

SpillFile::SpillFile(const std::filesystem::path& dir, std::string_view prefix) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) cannotCreate(dir, error.message());
  // Unique within the process by the counter; O_EXCL settles a clash with
  // another process sharing the directory.
  static std::atomic<uint64_t> counter{0};
  for (;;) {
    path_ = dir / (std::string(prefix) + "-" + std::to_string(counter++) + ".data");
    fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd_ >= 0) return;
    if (errno != EEXIST) cannotCreate(dir, std::system_category().message(errno));
  }
}

SpillFile::~SpillFile() {
  ::close(fd_);
  ::unlink(path_.c_str());
}

FrameLocation SpillFile::append(std::string_view payload, Codec codec) {
  const int64_t offset = size_.load(std::memory_order_relaxed);
  const int64_t size = detail::writeFrame(fd_, payload, codec, offset, path_);
  size_.store(offset + size, std::memory_order_release);
  return {offset, size};
}

FrameLocation SpillFile::appendFrame(std::string_view frame) {
  const int64_t offset = size_.load(std::memory_order_relaxed);
  detail::writeFully(fd_, frame.data(), frame.size(), offset, path_);
  const auto size = static_cast<int64_t>(frame.size());
  size_.store(offset + size, std::memory_order_release);
  return {offset, size};
}

void SpillFile::read(FrameLocation loc, std::string& payload, std::string_view blockName) const {
  const std::string name = std::string(blockName) + " (spill file " + path_.string() +
                           " at offset " + std::to_string(loc.offset) + ")";
  auto corrupt = [&name](const std::string& problem, std::string_view cause) {
    throw CorruptBlockError(name + ": " + problem + "; " + std::string(cause));
  };
  if (loc.offset < 0 || loc.size < static_cast<int64_t>(kFrameHeaderSize)) {
    corrupt("bad frame location: " + std::to_string(loc.size) + " bytes",
            "the index of the spill file is damaged");
  }
  char header[kFrameHeaderSize];
  const size_t got = detail::readFully(fd_, header, kFrameHeaderSize, loc.offset, path_);
  const detail::FrameHeader parsed = detail::parseFrameHeader({header, got}, name);
  const int64_t size = static_cast<int64_t>(kFrameHeaderSize + parsed.storedSize);
  if (size != loc.size) {
    corrupt("frame size mismatch: the index says " + std::to_string(loc.size) +
                " bytes, the frame header " + std::to_string(size),
            "the block was damaged on disk");
  }
  const off_t storedAt = loc.offset + static_cast<off_t>(kFrameHeaderSize);
  auto readStored = [&](std::string& into) {
    into.resize(parsed.storedSize);
    const size_t n = detail::readFully(fd_, into.data(), into.size(), storedAt, path_);
    if (n < into.size()) {
      corrupt("truncated payload: " + std::to_string(n) + " of " +
                  std::to_string(parsed.storedSize) + " stored bytes",
              "the spill file was cut short on disk");
    }
  };
  if (parsed.codec == Codec::kNone) {
    // Straight into the payload: no copy.
    readStored(payload);
    detail::checkFramePayload(parsed, payload, name);
    return;
  }
  thread_local std::string stored;
  readStored(stored);
  detail::decodeFramePayload(parsed, stored, payload, name);
  detail::giveBackIfHuge(stored);
}

void SpillFile::appendRawFrame(FrameLocation loc, std::string& out) const {
  const size_t at = out.size();
  out.resize(at + static_cast<size_t>(loc.size));
  const size_t n =
      detail::readFully(fd_, out.data() + at, static_cast<size_t>(loc.size), loc.offset, path_);
  if (n < static_cast<size_t>(loc.size)) {
    out.resize(at);
    throw IoError("spill file " + path_.string() + " ends at " + std::to_string(loc.offset + n) +
                  " bytes, before the frame it should hold at offset " +
                  std::to_string(loc.offset) + "; the file was cut short on disk");
  }
}

}  // namespace ember

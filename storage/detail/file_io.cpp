#include "storage/detail/file_io.hpp"

#include <unistd.h>

#include <cerrno>
#include <string>
#include <system_error>

#include "common/error.hpp"

namespace ember::detail {

void writeFully(int fd, const void* data, size_t n, off_t offset,
                const std::filesystem::path& path) {
  const auto* p = static_cast<const char*>(data);
  while (n > 0) {
    const ssize_t written = ::pwrite(fd, p, n, offset);
    if (written < 0) {
      const int error = errno;
      if (error == EINTR) continue;
      if (error == ENOSPC || error == EDQUOT) {
        throw IoError("no space left on device while writing " + path.string() +
                      ": free space or point ember.local.dir at a larger disk");
      }
      throw IoError("cannot write " + path.string() + ": " + std::system_category().message(error));
    }
    p += written;
    n -= static_cast<size_t>(written);
    offset += written;
  }
}

int64_t writeFrame(int fd, std::string_view payload, Codec codec, off_t offset,
                   const std::filesystem::path& path) {
  thread_local std::string frame;
  frame.clear();
  encodeFrame(payload, codec, frame);
  writeFully(fd, frame.data(), frame.size(), offset, path);
  const auto size = static_cast<int64_t>(frame.size());
  giveBackIfHuge(frame);
  return size;
}

size_t readFully(int fd, void* data, size_t n, off_t offset, const std::filesystem::path& path) {
  auto* p = static_cast<char*>(data);
  size_t done = 0;
  while (done < n) {
    const ssize_t got = ::pread(fd, p + done, n - done, offset + static_cast<off_t>(done));
    if (got < 0) {
      const int error = errno;
      if (error == EINTR) continue;
      throw IoError("cannot read " + path.string() + " at offset " +
                    std::to_string(offset + static_cast<off_t>(done)) + ": " +
                    std::system_category().message(error));
    }
    if (got == 0) break;
    done += static_cast<size_t>(got);
  }
  return done;
}

}  // namespace ember::detail

#include "storage/checkpoint_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <system_error>

#include "common/error.hpp"
#include "storage/detail/file_io.hpp"

namespace ember {
namespace {

std::string systemError() { return std::system_category().message(errno); }

}  // namespace

CheckpointFileWriter::CheckpointFileWriter(std::filesystem::path path)
    : path_(std::move(path)),
      temporary_(path_.parent_path() / ("." + path_.filename().string() + ".tmp")) {
  std::error_code error;
  std::filesystem::create_directories(path_.parent_path(), error);
  if (!error) {
    fd_ = ::open(temporary_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd_ >= 0) return;
  }
  throw IoError("cannot write a checkpoint file in " + path_.parent_path().string() + ": " +
                (error ? error.message() : systemError()) +
                "; the checkpoint directory (ctx.setCheckpointDir) must be writable");
}

CheckpointFileWriter::~CheckpointFileWriter() {
  if (fd_ >= 0) {
    ::close(fd_);
    ::unlink(temporary_.c_str());
  }
}

void CheckpointFileWriter::append(std::string_view payload, Codec codec) {
  size_ += detail::writeFrame(fd_, payload, codec, size_, temporary_);
}

void CheckpointFileWriter::commit() {
  if (::fsync(fd_) != 0 || ::close(fd_) != 0) {
    fd_ = -1;
    ::unlink(temporary_.c_str());
    throw IoError("cannot write checkpoint file " + temporary_.string() + ": " + systemError());
  }
  fd_ = -1;
  if (std::rename(temporary_.c_str(), path_.c_str()) != 0) {
    const std::string reason = systemError();
    ::unlink(temporary_.c_str());
    throw IoError("cannot rename checkpoint file " + temporary_.string() + " to " + path_.string() +
                  ": " + reason);
  }
}

CheckpointFileReader::CheckpointFileReader(std::filesystem::path path) : path_(std::move(path)) {
  fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) {
    throw IoError("cannot read checkpoint file " + path_.string() + ": " + systemError() +
                  "; was the checkpoint directory removed while the RDD is in use?");
  }
}

CheckpointFileReader::~CheckpointFileReader() { ::close(fd_); }

bool CheckpointFileReader::next(std::string& payload) {
  const std::string name =
      "checkpoint file " + path_.string() + " at offset " + std::to_string(offset_);
  frame_.resize(kFrameHeaderSize);
  const size_t got = detail::readFully(fd_, frame_.data(), kFrameHeaderSize, offset_, path_);
  if (got == 0) return false;
  frame_.resize(got);
  const size_t size = frameSize(frame_, name);
  frame_.resize(size);
  const size_t rest = detail::readFully(fd_, frame_.data() + got, size - got,
                                        offset_ + static_cast<off_t>(got), path_);
  frame_.resize(got + rest);
  offset_ += static_cast<int64_t>(decodeFrame(frame_, payload, name));
  return true;
}

}  // namespace ember

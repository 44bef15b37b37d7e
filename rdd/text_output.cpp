#include "rdd/detail/text_output.hpp"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "common/error.hpp"

namespace ember::detail {
namespace {

namespace fs = std::filesystem;

std::string uniqueTempDir(const fs::path& output) {
  static std::atomic<int> counter{0};
  fs::path parent = output.parent_path();
  std::string name = "." + output.filename().string() + ".ember-temporary-" +
                     std::to_string(::getpid()) + "-" + std::to_string(counter++);
  return (parent / name).string();
}

}  // namespace

TextOutputJob::TextOutputJob(std::string path) : path_(std::move(path)) {
  fs::path out = fs::absolute(fs::path(path_).lexically_normal());
  if (out.filename().empty()) out = out.parent_path();
  std::error_code ec;
  if (fs::exists(out, ec)) {
    throw IoError("output directory '" + path_ +
                  "' already exists: remove it or choose another path " +
                  "(ember never overwrites output)");
  }
  fs::create_directories(out.parent_path(), ec);
  tempDir_ = uniqueTempDir(out);
  if (ec || !fs::create_directory(tempDir_, ec) || ec) {
    throw IoError("cannot create output directory beside '" + path_ +
                  "': " + (ec ? ec.message() : std::string("it exists")) +
                  "; check that its parent is writable");
  }
  path_ = out.string();
}

TextOutputJob::~TextOutputJob() {
  if (committed_) return;
  std::error_code ec;
  fs::remove_all(tempDir_, ec);
}

std::string TextOutputJob::partPath(int partition) const {
  char name[32];
  std::snprintf(name, sizeof(name), "part-%05d", partition);
  return tempDir_ + "/" + name;
}

void TextOutputJob::commit() {
  TextFileWriter(tempDir_ + "/_SUCCESS").close();
  std::error_code ec;
  fs::rename(tempDir_, path_, ec);
  if (ec) throw IoError("cannot move finished output to '" + path_ + "': " + ec.message());
  committed_ = true;
}

TextFileWriter::TextFileWriter(std::string path)
    : path_(std::move(path)), file_(std::fopen(path_.c_str(), "we")) {
  if (!file_) fail();
  std::setvbuf(file_, nullptr, _IOFBF, size_t{1} << 20);
}

TextFileWriter::~TextFileWriter() {
  if (file_) std::fclose(file_);
}

void TextFileWriter::writeLine(std::string_view line) {
  if (std::fwrite(line.data(), 1, line.size(), file_) != line.size() ||
      std::fputc('\n', file_) == EOF)
    fail();
}

void TextFileWriter::close() {
  std::FILE* f = file_;
  file_ = nullptr;
  if (std::fflush(f) != 0 || std::ferror(f)) {
    int err = errno;
    std::fclose(f);
    errno = err;
    fail();
  }
  if (std::fclose(f) != 0) fail();
}

void TextFileWriter::fail() const {
  throw IoError("cannot write '" + path_ + "': " + std::strerror(errno) +
                "; check free space and permissions of the output directory");
}

}  // namespace ember::detail

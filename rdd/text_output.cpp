#include "rdd/detail/text_output.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "common/error.hpp"

namespace ember::detail {
namespace {

namespace fs = std::filesystem;

std::string tempDirFor(const fs::path& output, const std::string& tag) {
  return (output.parent_path() / ("." + output.filename().string() + ".ember-temporary-" + tag))
      .string();
}

}  // namespace

TextOutputJob::TextOutputJob(std::string path, const std::string& tag, bool owner)
    : path_(std::move(path)), owner_(owner) {
  fs::path out = fs::absolute(fs::path(path_).lexically_normal());
  if (out.filename().empty()) out = out.parent_path();
  std::error_code ec;
  if (fs::exists(out, ec)) {
    throw IoError("output directory '" + path_ +
                  "' already exists: remove it or choose another path " +
                  "(ember never overwrites output)");
  }
  tempDir_ = tempDirFor(out, tag);
  path_ = out.string();
  if (!owner_) return;
  fs::create_directories(out.parent_path(), ec);
  if (ec || !fs::create_directory(tempDir_, ec) || ec) {
    throw IoError("cannot create output directory beside '" + path_ +
                  "': " + (ec ? ec.message() : std::string("it exists")) +
                  "; check that its parent is writable");
  }
}

TextOutputJob::~TextOutputJob() { abort(); }

void TextOutputJob::abort() noexcept {
  if (committed_ || !owner_) return;
  std::error_code ec;
  fs::remove_all(tempDir_, ec);
}

std::string TextOutputJob::partPath(int partition) const {
  char name[32];
  std::snprintf(name, sizeof(name), "part-%05d", partition);
  return tempDir_ + "/" + name;
}

void TextOutputJob::commit() {
  if (!owner_) return;
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

#include "sql/io/output_committer.hpp"

#include <strings.h>

#include <cstdio>
#include <filesystem>
#include <functional>

#include "common/error.hpp"
#include "rdd/detail/text_output.hpp"
#include "sql/errors.hpp"

namespace ember::sql {
namespace {

namespace fs = std::filesystem;

/// A UUID-shaped id derived from the job's tag: the same in every
/// process (the tag is), different for every write of a run.
std::string uuidOf(const std::string& tag) {
  const uint64_t a = std::hash<std::string>{}(tag);
  const uint64_t b = std::hash<std::string>{}(tag + "/ember");
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(a >> 32),
                static_cast<unsigned>((a >> 16) & 0xFFFF), static_cast<unsigned>(a & 0xFFFF),
                static_cast<unsigned>(b >> 48),
                static_cast<unsigned long long>(b & 0xFFFFFFFFFFFFULL));
  return buf;
}

std::string besideOutput(const fs::path& out, const std::string& what, const std::string& tag) {
  return (out.parent_path() / ("." + out.filename().string() + ".ember-" + what + "-" + tag))
      .string();
}

void renameOrThrow(const std::string& from, const std::string& to) {
  std::error_code ec;
  fs::rename(from, to, ec);
  if (ec) throw IoError("cannot move '" + from + "' to '" + to + "': " + ec.message());
}

}  // namespace

SaveMode parseSaveMode(const std::string& mode) {
  auto is = [&](const char* name) { return strcasecmp(mode.c_str(), name) == 0; };
  if (is("error") || is("errorifexists") || is("default")) return SaveMode::kErrorIfExists;
  if (is("overwrite")) return SaveMode::kOverwrite;
  if (is("append")) return SaveMode::kAppend;
  if (is("ignore")) return SaveMode::kIgnore;
  throw AnalysisException("Unknown save mode: " + mode +
                          ". Accepted save modes are 'overwrite', 'append', 'ignore', 'error', "
                          "'errorifexists', 'default'.");
}

OutputCommitter::OutputCommitter(const std::string& path, SaveMode mode, const std::string& tag,
                                 bool owner)
    : uuid_(uuidOf(tag)), mode_(mode), owner_(owner) {
  fs::path out = fs::absolute(fs::path(path).lexically_normal());
  if (out.filename().empty()) out = out.parent_path();
  path_ = out.string();
  tempDir_ = besideOutput(out, "temporary", tag);
  if (!owner_) return;
  std::error_code ec;
  fs::create_directories(out.parent_path(), ec);
  if (ec || !fs::create_directory(tempDir_, ec) || ec) {
    throw IoError("cannot create output directory beside '" + path_ +
                  "': " + (ec ? ec.message() : std::string("it exists")) +
                  "; check that its parent is writable");
  }
}

OutputCommitter::~OutputCommitter() { abort(); }

void OutputCommitter::abort() noexcept {
  if (committed_ || !owner_) return;
  std::error_code ec;
  fs::remove_all(tempDir_, ec);
}

std::string OutputCommitter::partPath(int partition, const std::string& extension) const {
  char name[24];
  std::snprintf(name, sizeof(name), "part-%05d-", partition);
  return tempDir_ + "/" + name + uuid_ + extension;
}

void OutputCommitter::commit() {
  if (!owner_) return;
  std::error_code ec;
  if (mode_ == SaveMode::kAppend && fs::exists(path_, ec)) {
    appendToOutput();
  } else {
    detail::TextFileWriter(tempDir_ + "/_SUCCESS").close();
    replaceOutput();
  }
  committed_ = true;
}

void OutputCommitter::replaceOutput() {
  std::error_code ec;
  if (!fs::exists(path_, ec)) return renameOrThrow(tempDir_, path_);
  if (mode_ != SaveMode::kOverwrite)
    throw IoError("output path '" + path_ + "' appeared while the job wrote it; nothing replaced");
  // Overwrite: the old output stays whole until the new one replaces it.
  const std::string old = besideOutput(path_, "replaced", uuid_);
  renameOrThrow(path_, old);
  try {
    renameOrThrow(tempDir_, path_);
  } catch (...) {
    fs::rename(old, path_, ec);
    throw;
  }
  fs::remove_all(old, ec);
}

void OutputCommitter::appendToOutput() {
  if (!fs::is_directory(path_))
    throw IoError("cannot append to '" + path_ + "': it is a file, not a directory of parts");
  for (const auto& entry : fs::directory_iterator(tempDir_)) {
    renameOrThrow(entry.path().string(), (fs::path(path_) / entry.path().filename()).string());
  }
  detail::TextFileWriter(path_ + "/_SUCCESS").close();
  std::error_code ec;
  fs::remove_all(tempDir_, ec);
}

}  // namespace ember::sql

#pragma once
// TempDir: a fresh directory per test, removed afterwards.

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <thread>

namespace ember::testing {

/// True in a process a local-cluster test started (ranks 1..P-1): it runs
/// the same test body as the driver, which owns the test's files.
inline bool isClusterExecutor() {
  const char* rank = std::getenv("EMBER_RANK");
  return rank && std::string(rank) != "0";
}

/// The process that started the test: the driver of a local-cluster test
/// passes its pid to the executors, so that all name the same directories.
inline std::string testRunId() {
  if (const char* id = std::getenv("EMBER_TEST_RUN_ID")) return id;
  return std::to_string(::getpid());
}

/// A directory named after the run, the running test and how many the test
/// made before, so the processes of a local-cluster test agree on it. The
/// driver creates, fills and removes it; executors only use it.
class TempDir {
 public:
  TempDir() {
    static std::map<std::string, int> made;  // per test
    const std::string test = currentTest();
    path_ = std::filesystem::temp_directory_path() /
            ("ember-test-" + testRunId() + "-" + test + "-" + std::to_string(made[test]++));
    if (!isClusterExecutor()) std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    if (isClusterExecutor()) return;
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string path() const { return path_.string(); }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

  /// Writes `content` to a file in the directory and returns its path. An
  /// executor of a local-cluster test waits for the driver's copy instead.
  std::string write(const std::string& name, const std::string& content) const {
    std::string file = *this / name;
    if (isClusterExecutor()) {
      waitFor(file, content.size());
      return file;
    }
    std::filesystem::create_directories(std::filesystem::path(file).parent_path());
    const std::string partial = file + ".writing";
    std::ofstream(partial, std::ios::binary) << content;
    std::filesystem::rename(partial, file);
    return file;
  }

 private:
  static std::string currentTest() {
    const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = info ? std::string(info->test_suite_name()) + "." + info->name() : "none";
    for (char& c : name)
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.') c = '_';
    return name;
  }

  static void waitFor(const std::string& file, size_t size) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    std::error_code ec;
    while (std::chrono::steady_clock::now() < deadline) {
      if (std::filesystem::file_size(file, ec) == size && !ec) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }

  std::filesystem::path path_;
};

/// The whole content of a file ("" when it cannot be read).
inline std::string readFile(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace ember::testing

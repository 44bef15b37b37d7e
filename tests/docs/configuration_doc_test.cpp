// docs/configuration.md is generated from ember::Conf::keys(): this test
// fails when they drift apart, and rewrites the file when run with
// EMBER_WRITE_DOCS=1.

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include <ember/ember.hpp>

#include "support/process.hpp"

namespace ember::testing {
namespace {

std::string generatedTable() {
  std::ostringstream md;
  md << "# Configuration\n\n"
     << "Generated from `ember::Conf::keys()`; `--help` prints the same list.\n\n"
     << "Set a key with `--conf key=value` on the command line, `ember::Conf().set(key, value)` in "
        "code\n"
     << "(which wins over the command line, as a SparkConf wins over spark-submit), or an "
        "environment\n"
     << "variable named after the key (`ember.executor.memory` -> `EMBER_EXECUTOR_MEMORY`). Sizes "
        "take\n"
     << "a suffix b, k, m, g or t (binary multiples).\n\n"
     << "| key | default | meaning |\n|---|---|---|\n";
  for (const ConfKey& key : Conf::keys()) {
    md << "| `" << key.name << "` | "
       << (key.defaultValue.empty() ? "(computed)" : "`" + std::string(key.defaultValue) + "`")
       << " | " << key.meaning << " |\n";
  }
  return md.str();
}

TEST(ConfigurationDoc, ListsEveryKeyWithItsDefault) {
  const std::string path = sourcePath("docs/configuration.md");
  if (const char* write = std::getenv("EMBER_WRITE_DOCS"); write && std::string(write) == "1") {
    std::ofstream(path) << generatedTable();
  }
  std::ostringstream onDisk;
  onDisk << std::ifstream(path).rdbuf();
  EXPECT_EQ(onDisk.str(), generatedTable()) << "docs/configuration.md is out of date: run this "
                                               "test with EMBER_WRITE_DOCS=1 to regenerate it";
}

}  // namespace
}  // namespace ember::testing

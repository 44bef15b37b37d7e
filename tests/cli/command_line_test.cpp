// The command line of an ember program, in real processes: the tutorial
// 01_word_count run with bad options, bad paths, --help and a real input.
// Also, in process, how Context(argc, argv) strips ember's options.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <ember/ember.hpp>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using ember::testing::readFile;
using ember::testing::TempDir;
using ::testing::HasSubstr;
using ::testing::Not;

size_t lineCount(const std::string& text) {
  return static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
}

class WordCountCli : public ::testing::Test {
 protected:
  void SetUp() override {
    program_ = ember::testing::examplePath("01_word_count");
    if (!fs::is_directory(fs::path(program_).parent_path())) {
      GTEST_SKIP() << "examples are not built (EMBER_BUILD_EXAMPLES=OFF)";
    }
    ASSERT_TRUE(fs::exists(program_)) << program_ << " is missing: build the examples first";
    input_ = scratch_.write("input.txt",
                            "the quick brown fox\n"
                            "jumps over the lazy dog\n"
                            "\n"
                            "  the\tdog   barks \r\n"
                            "a fox, a dog; the end\n"
                            "last line without newline the");
  }

  ember::testing::ProgramResult wordCount(std::vector<std::string> args) {
    args.insert(args.begin(), program_);
    return ember::testing::runProgram(args);
  }

  /// The word counts of `file`, counted by a plain loop.
  static std::map<std::string, int64_t> countWords(const std::string& file) {
    std::map<std::string, int64_t> counts;
    std::istringstream in(readFile(file));
    for (std::string word; in >> word;) ++counts[word];
    return counts;
  }

  TempDir scratch_;
  std::string program_;
  std::string input_;
};

TEST_F(WordCountCli, MisspelledOptionExitsWithTwoAndSuggestsTheRightOne) {
  ember::testing::ProgramResult r = wordCount({"--mastr", "local[2]", input_});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_EQ(lineCount(r.err), 1u) << r.err;
  EXPECT_THAT(r.err, HasSubstr("unknown option '--mastr'"));
  EXPECT_THAT(r.err, HasSubstr("did you mean '--master'"));
  EXPECT_EQ(r.out, "");
}

TEST_F(WordCountCli, MisspelledOptionWithEqualsIsNamedWithoutItsValue) {
  ember::testing::ProgramResult r = wordCount({"--cnf=ember.master=local", input_});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_THAT(r.err, HasSubstr("unknown option '--cnf'"));
  EXPECT_THAT(r.err, HasSubstr("did you mean '--conf'"));
}

TEST_F(WordCountCli, MalformedConfValueExitsWithTwoNamingKeyAndExample) {
  ember::testing::ProgramResult r = wordCount({"--conf", "ember.executor.memory=lots", input_});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_EQ(lineCount(r.err), 1u) << r.err;
  EXPECT_THAT(r.err, HasSubstr("ember.executor.memory"));
  EXPECT_THAT(r.err, HasSubstr("512m"));
  EXPECT_THAT(r.err, HasSubstr("'lots'"));
}

TEST_F(WordCountCli, UnknownConfKeyExitsWithTwo) {
  ember::testing::ProgramResult r = wordCount({"--conf", "ember.nope=1", input_});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_THAT(r.err, HasSubstr("ember.nope"));
  EXPECT_EQ(lineCount(r.err), 1u) << r.err;
}

TEST_F(WordCountCli, ConfWithoutEqualsExitsWithTwo) {
  ember::testing::ProgramResult r = wordCount({"--conf", "ember.master", input_});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_THAT(r.err, HasSubstr("key=value"));
}

TEST_F(WordCountCli, BadMasterExitsWithTwo) {
  for (const char* master : {"local[0]", "local[x]", "yarn"}) {
    ember::testing::ProgramResult r = wordCount({"--master", master, input_});
    EXPECT_EQ(r.exitCode, 2) << master;
    EXPECT_THAT(r.err, HasSubstr("invalid master '" + std::string(master) + "'"));
  }
}

TEST_F(WordCountCli, OptionMissingItsValueExitsWithTwo) {
  ember::testing::ProgramResult r = wordCount({input_, "--master"});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_THAT(r.err, HasSubstr("--master needs a value"));
}

TEST_F(WordCountCli, MalformedEnvironmentValueExitsWithTwo) {
  ::setenv("EMBER_EXECUTOR_MEMORY", "plenty", 1);
  ember::testing::ProgramResult r = wordCount({input_});
  ::unsetenv("EMBER_EXECUTOR_MEMORY");
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_THAT(r.err, HasSubstr("ember.executor.memory"));
  EXPECT_THAT(r.err, HasSubstr("'plenty'"));
}

TEST_F(WordCountCli, MissingInputExitsWithOneNamingThePath) {
  std::string missing = scratch_ / "no-such-input.txt";
  ember::testing::ProgramResult r = wordCount({missing});
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_THAT(r.err, HasSubstr("input path does not exist"));
  EXPECT_THAT(r.err, HasSubstr(missing));
  EXPECT_THAT(r.err, HasSubstr("ember: error:"));
  EXPECT_THAT(r.err, Not(HasSubstr("terminate called"))) << "an uncaught error must not abort";
}

TEST_F(WordCountCli, ExistingOutputDirectoryExitsWithOneAndIsUntouched) {
  std::string out = scratch_ / "out";
  scratch_.write("out/mine.txt", "do not touch\n");
  ember::testing::ProgramResult r = wordCount({"--master", "local[2]", input_, out});
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_THAT(r.err, HasSubstr("already exists"));
  EXPECT_THAT(r.err, HasSubstr(out));
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(out)) names.push_back(e.path().filename().string());
  EXPECT_EQ(names, std::vector<std::string>{"mine.txt"});
  EXPECT_EQ(readFile(scratch_ / "out/mine.txt"), "do not touch\n");
}

TEST_F(WordCountCli, HelpExitsWithZeroAndListsEveryKey) {
  ember::testing::ProgramResult r = wordCount({"--help"});
  EXPECT_EQ(r.exitCode, 0);
  for (const ember::ConfKey& key : ember::Conf::keys()) {
    EXPECT_THAT(r.out, HasSubstr(std::string(key.name))) << "--help does not list " << key.name;
  }
  for (const char* option : {"--master", "--conf", "--help"}) EXPECT_THAT(r.out, HasSubstr(option));
  EXPECT_EQ(r.err, "");
}

TEST_F(WordCountCli, HelpAfterOtherArgumentsStillHelps) {
  ember::testing::ProgramResult r = wordCount({input_, "--help"});
  EXPECT_EQ(r.exitCode, 0);
  EXPECT_THAT(r.out, HasSubstr("ember.executor.memory"));
}

TEST_F(WordCountCli, OutputPartFilesHoldTheWordCounts) {
  std::string out = scratch_ / "counts";
  ember::testing::ProgramResult r = wordCount(
      {"--master", "local[3]", "--conf", "ember.files.maxPartitionBytes=16", input_, out});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_TRUE(fs::exists(out + "/_SUCCESS"));

  std::map<std::string, int64_t> actual;
  int parts = 0;
  for (const auto& e : fs::directory_iterator(out)) {
    std::string name = e.path().filename().string();
    if (name == "_SUCCESS") continue;
    EXPECT_TRUE(name.starts_with("part-")) << name;
    ++parts;
    std::istringstream lines(readFile(e.path().string()));
    for (std::string line; std::getline(lines, line);) {
      auto tab = line.find('\t');
      ASSERT_NE(tab, std::string::npos) << line;
      EXPECT_TRUE(actual.emplace(line.substr(0, tab), std::stoll(line.substr(tab + 1))).second)
          << line;
    }
  }
  EXPECT_GE(parts, 1);
  const auto expected = countWords(input_);
  EXPECT_EQ(actual, expected);

  // Stdout: the top words and the totals.
  int64_t lines = 0;
  {
    std::ifstream in(input_);
    for (std::string line; std::getline(in, line);) ++lines;
  }
  EXPECT_THAT(r.out, HasSubstr(std::to_string(expected.size()) + " distinct words in " +
                               std::to_string(lines) + " lines"));
  EXPECT_THAT(r.out, HasSubstr("the\t" + std::to_string(expected.at("the"))));
}

TEST_F(WordCountCli, ProgramArgumentsAfterDoubleDashAreNotOptions) {
  // "--" ends ember's options: what follows is the program's, even when it
  // looks like an option (here an option without its value, which ember
  // would reject before "--").
  std::string out = scratch_ / "out";
  ember::testing::ProgramResult before =
      wordCount({"--master", "local[1]", input_, out, "--master"});
  EXPECT_EQ(before.exitCode, 2);
  EXPECT_FALSE(fs::exists(out));
  ember::testing::ProgramResult r =
      wordCount({"--master", "local[1]", "--", input_, out, "--master"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_TRUE(fs::exists(out + "/_SUCCESS"));
}

TEST_F(WordCountCli, MissingArgumentsPrintTheProgramsUsage) {
  ember::testing::ProgramResult r = wordCount({"--master", "local[1]"});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_THAT(r.err, HasSubstr("usage:"));
}

// ---- In process: Context(argc, argv) ----

/// A mutable argv for Context(argc, argv), kept alive by the object.
struct Args {
  explicit Args(std::vector<std::string> a) : storage(std::move(a)) {
    for (std::string& s : storage) pointers.push_back(s.data());
    pointers.push_back(nullptr);
    argc = static_cast<int>(storage.size());
  }
  std::vector<std::string> rest() const {
    return std::vector<std::string>(pointers.begin(), pointers.begin() + argc);
  }

  std::vector<std::string> storage;
  std::vector<char*> pointers;
  int argc;
};

TEST(CommandLine, ContextRemovesItsOptionsAndKeepsTheProgramArguments) {
  Args args({"prog", "input.txt", "--master", "local[2]", "--conf", "ember.batch.size=64", "out",
             "--conf=ember.app.name=x"});
  ember::Context ctx(args.argc, args.pointers.data());
  EXPECT_EQ(args.rest(), (std::vector<std::string>{"prog", "input.txt", "out"}));
  EXPECT_EQ(args.pointers[static_cast<size_t>(args.argc)], nullptr);
  EXPECT_EQ(ctx.master(), "local[2]");
  EXPECT_EQ(ctx.getConf().getInt("ember.batch.size"), 64);
  EXPECT_EQ(ctx.getConf().get("ember.app.name"), "x");
  EXPECT_EQ(ctx.defaultParallelism(), 2);
}

TEST(CommandLine, MasterWithEqualsSign) {
  Args args({"prog", "--master=local[3]"});
  ember::Context ctx(args.argc, args.pointers.data());
  EXPECT_EQ(ctx.master(), "local[3]");
  EXPECT_EQ(args.rest(), std::vector<std::string>{"prog"});
}

TEST(CommandLine, EverythingAfterDoubleDashBelongsToTheProgram) {
  Args args({"prog", "--master", "local[1]", "--", "--master", "local[4]", "--unknown"});
  ember::Context ctx(args.argc, args.pointers.data());
  EXPECT_EQ(ctx.master(), "local[1]");
  EXPECT_EQ(args.rest(), (std::vector<std::string>{"prog", "--master", "local[4]", "--unknown"}));
}

TEST(CommandLine, CodeTakesPrecedenceOverTheCommandLine) {
  Args args({"prog", "--conf", "ember.executor.memory=2g", "--master", "local[4]"});
  ember::Context ctx(args.argc, args.pointers.data(),
                     ember::Conf().set("ember.executor.memory", "256m"));
  EXPECT_EQ(ctx.getConf().getBytes("ember.executor.memory"), int64_t{256} << 20);
  EXPECT_EQ(ctx.master(), "local[4]");
}

TEST(CommandLine, CommandLineTakesPrecedenceOverTheEnvironment) {
  ::setenv("EMBER_EXECUTOR_MEMORY", "3g", 1);
  ::setenv("EMBER_MASTER", "local[3]", 1);
  Args args({"prog", "--conf", "ember.executor.memory=2g"});
  ember::Context ctx(args.argc, args.pointers.data());
  ::unsetenv("EMBER_EXECUTOR_MEMORY");
  ::unsetenv("EMBER_MASTER");
  EXPECT_EQ(ctx.getConf().getBytes("ember.executor.memory"), int64_t{2} << 30);
  EXPECT_EQ(ctx.master(), "local[3]")
      << "keys not on the command line come from the environment (at start-up)";
}

TEST(CommandLine, LaterOptionWins) {
  Args args({"prog", "--master", "local[1]", "--master", "local[2]"});
  ember::Context ctx(args.argc, args.pointers.data());
  EXPECT_EQ(ctx.master(), "local[2]");
}

TEST(CommandLineDeathTest, UnknownOptionExitsWithTwo) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  Args args({"prog", "--mastr", "local[2]"});
  EXPECT_EXIT(ember::Context(args.argc, args.pointers.data()), ::testing::ExitedWithCode(2),
              "unknown option '--mastr' \\(did you mean '--master'\\?\\)");
}

TEST(CommandLineDeathTest, UncaughtExceptionAfterContextExitsWithOneAndItsMessage) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  Args args({"prog"});
  // The exception must escape uncaught (as from main), not into gtest's own
  // handler around the statement: a noexcept function lets it do that.
  auto program = [&args]() noexcept {
    ember::Context ctx(args.argc, args.pointers.data());
    ctx.textFile("/definitely/not/here.txt");
  };
  EXPECT_EXIT(program(), ::testing::ExitedWithCode(1),
              "ember: error: input path does not exist: '/definitely/not/here.txt'");
}

}  // namespace

#include "tools/launch_options.hpp"

#include <charconv>
#include <optional>
#include <string_view>
#include <utility>

#include "common/conf.hpp"
#include "common/detail/closest_match.hpp"
#include "common/error.hpp"

namespace ember::launcher {
namespace {

constexpr std::string_view kOptions[] = {"-n",     "--hostfile", "--cores", "--memory",
                                         "--conf", "--log-dir",  "--help"};

/// Walks the arguments, handing out the value of `--opt value` and `--opt=value`.
class ArgReader {
 public:
  explicit ArgReader(std::span<const std::string> args) : args_(args) {}

  bool done() const { return next_ >= args_.size(); }
  const std::string& peek() const { return args_[next_]; }

  /// The next option's name, splitting an attached `=value` off for value().
  std::string option() {
    const std::string& arg = args_[next_++];
    const size_t eq = arg.find('=');
    attached_.reset();
    if (arg.starts_with("--") && eq != std::string::npos) {
      attached_ = arg.substr(eq + 1);
      return arg.substr(0, eq);
    }
    return arg;
  }

  std::string value(const std::string& option) {
    if (attached_) return *std::exchange(attached_, std::nullopt);
    if (done()) throw ConfigError("option " + option + " needs a value");
    return args_[next_++];
  }

  std::vector<std::string> rest() const { return {args_.begin() + next_, args_.end()}; }
  void skip() { ++next_; }

 private:
  std::span<const std::string> args_;
  size_t next_ = 0;
  std::optional<std::string> attached_;
};

int parseProcesses(const std::string& text) {
  int n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n <= 0)
    throw ConfigError("invalid -n '" + text + "': expected a positive number of processes");
  return n;
}

/// Conf checks the key and the value, so a typo fails here and not in P processes.
void addConf(LaunchOptions& options, const std::string& key, const std::string& value) {
  Conf().set(key, value);
  options.confEnv.emplace_back(Conf::envName(key), value);
}

void addConfPair(LaunchOptions& options, const std::string& pair) {
  const size_t eq = pair.find('=');
  if (eq == std::string::npos || eq == 0)
    throw ConfigError("invalid --conf '" + pair + "': expected key=value");
  addConf(options, pair.substr(0, eq), pair.substr(eq + 1));
}

[[noreturn]] void unknownOption(const std::string& option) {
  std::string hint = detail::closestMatch(option, kOptions);
  throw ConfigError("unknown option '" + option + "'" +
                    (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
}

void applyOption(LaunchOptions& options, ArgReader& reader) {
  const std::string option = reader.option();
  if (option == "-n" || option == "-np")
    options.processes = parseProcesses(reader.value(option));
  else if (option == "--hostfile")
    options.hostfile = reader.value(option);
  else if (option == "--cores")
    addConf(options, "ember.executor.cores", reader.value(option));
  else if (option == "--memory")
    addConf(options, "ember.executor.memory", reader.value(option));
  else if (option == "--conf")
    addConfPair(options, reader.value(option));
  else if (option == "--log-dir")
    options.logDir = reader.value(option);
  else if (option == "--help" || option == "-h")
    options.help = true;
  else
    unknownOption(option);
}

}  // namespace

LaunchOptions LaunchOptions::parse(std::span<const std::string> args) {
  LaunchOptions options;
  ArgReader reader(args);
  while (!reader.done() && !options.help) {
    if (reader.peek() == "--") {
      reader.skip();
      break;
    }
    if (!reader.peek().starts_with('-')) break;
    applyOption(options, reader);
  }
  options.command = reader.rest();
  if (options.help) return options;
  if (options.processes == 0) throw ConfigError("missing -n P, the number of processes");
  if (options.command.empty()) throw ConfigError("missing the program to run");
  return options;
}

std::string LaunchOptions::usage() {
  return "usage: ember-run -n P [options] program [args...]\n"
         "Starts P processes of an ember program: rank 0 is the driver, whose output shows\n"
         "here; the others write to <log dir>/rank-<r>.log. Returns the driver's exit code\n"
         "(non-zero when any process fails) and stops every process when one fails or on\n"
         "Ctrl-C.\n"
         "\n"
         "options:\n"
         "  -n P             number of processes\n"
         "  --hostfile FILE  hosts to run on, one 'host [slots=N]' per line; ranks fill the\n"
         "                   slots in order, rank 0 on the first host; remote hosts are\n"
         "                   reached with ssh (keys, no password) and must see the same\n"
         "                   files at the same paths. Default: every process on this machine\n"
         "  --cores C        task slots per process (ember.executor.cores)\n"
         "  --memory SIZE    memory per process, e.g. 2g (ember.executor.memory)\n"
         "  --conf KEY=VALUE any configuration key, for every process (repeatable)\n"
         "  --log-dir DIR    log directory (default: ember-logs/<date>-<time>-<pid>)\n"
         "  --help           this text\n";
}

}  // namespace ember::launcher

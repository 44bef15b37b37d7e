#include "tools/hostfile.hpp"

#include <charconv>
#include <fstream>
#include <sstream>

#include "common/error.hpp"

namespace ember::launcher {
namespace {

std::vector<std::string> words(std::string_view line) {
  std::istringstream in{std::string(line)};
  std::vector<std::string> out;
  for (std::string word; in >> word;) out.push_back(word);
  return out;
}

/// N of a `slots=N` word, or 0 when the word is not one.
int slotsOf(std::string_view word) {
  constexpr std::string_view kPrefix = "slots=";
  if (!word.starts_with(kPrefix)) return 0;
  word.remove_prefix(kPrefix.size());
  int slots = 0;
  auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), slots);
  return ec == std::errc() && end == word.data() + word.size() && slots > 0 ? slots : 0;
}

}  // namespace

Hostfile Hostfile::parse(std::string_view text, const std::string& fileName) {
  Hostfile file;
  file.fileName_ = fileName;
  std::istringstream in{std::string(text)};
  int lineNumber = 0;
  for (std::string line; std::getline(in, line);) {
    ++lineNumber;
    const std::string content = line.substr(0, line.find('#'));
    const std::vector<std::string> w = words(content);
    if (w.empty()) continue;
    // A host starting with '-' would reach ssh as an option.
    const int slots = w.size() == 1 ? 1 : w.size() == 2 ? slotsOf(w[1]) : 0;
    if (slots == 0 || w[0].starts_with('-'))
      throw ConfigError("hostfile " + fileName + ":" + std::to_string(lineNumber) +
                        ": expected 'host [slots=N]' with N a positive number, got '" + content +
                        "'");
    file.hosts_.push_back({w[0], slots});
  }
  if (file.hosts_.empty()) throw ConfigError("hostfile " + fileName + " names no host");
  return file;
}

Hostfile Hostfile::load(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw ConfigError("cannot read hostfile " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str(), path);
}

std::vector<std::string> Hostfile::placeRanks(int processes) const {
  std::vector<std::string> placed;
  for (const Host& host : hosts_)
    for (int s = 0; s < host.slots && static_cast<int>(placed.size()) < processes; ++s)
      placed.push_back(host.name);
  if (static_cast<int>(placed.size()) < processes)
    throw ConfigError("-n " + std::to_string(processes) + " needs " + std::to_string(processes) +
                      " slots but hostfile " + fileName_ + " has " + std::to_string(placed.size()) +
                      "; give its hosts more with slots=N");
  return placed;
}

bool Hostfile::isLocal(std::string_view host) { return host == "localhost" || host == "127.0.0.1"; }

}  // namespace ember::launcher

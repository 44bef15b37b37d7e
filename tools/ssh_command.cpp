#include "tools/ssh_command.hpp"

#include <algorithm>
#include <cctype>

namespace ember::launcher {

std::string shellQuote(std::string_view word) {
  auto safe = [](unsigned char c) {
    return std::isalnum(c) != 0 ||
           std::string_view("_@%+=:,./-").find(static_cast<char>(c)) != std::string_view::npos;
  };
  if (!word.empty() && std::all_of(word.begin(), word.end(), safe)) return std::string(word);
  std::string quoted = "'";
  for (char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

std::vector<std::string> sshCommand(const std::string& host, const std::string& cwd,
                                    const std::vector<std::pair<std::string, std::string>>& env,
                                    const std::vector<std::string>& command) {
  // exec: no shell lingers between sshd and the job to absorb signals.
  std::string remote = "cd " + shellQuote(cwd) + " && exec env";
  for (const auto& [key, value] : env) remote += " " + shellQuote(key + "=" + value);
  for (const std::string& word : command) remote += " " + shellQuote(word);
  return {"ssh", "-o", "BatchMode=yes", host, remote};
}

}  // namespace ember::launcher

#pragma once
// sshCommand: the command line that starts one rank on a remote host.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ember::launcher {

/// `word` as one word for a POSIX shell: unchanged when it holds only safe
/// characters (so logged commands stay readable), else single-quoted.
std::string shellQuote(std::string_view word);

/// argv of `ssh -o BatchMode=yes host 'cd <cwd> && exec env K=V... <program> args'`.
/// BatchMode makes a host that would ask for a password fail at once instead
/// of hanging the launch; the remote shell quotes every word again.
std::vector<std::string> sshCommand(const std::string& host, const std::string& cwd,
                                    const std::vector<std::pair<std::string, std::string>>& env,
                                    const std::vector<std::string>& command);

}  // namespace ember::launcher

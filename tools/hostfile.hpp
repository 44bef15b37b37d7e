#pragma once
// Hostfile: the hosts of a run and how many processes each takes.

#include <string>
#include <string_view>
#include <vector>

namespace ember::launcher {

/// A hostfile as mpirun reads it: one `host [slots=N]` per line (N defaults
/// to 1), `#` starts a comment. Ranks fill the hosts' slots in file order,
/// so rank 0, the driver, runs on the first host.
class Hostfile {
 public:
  struct Host {
    std::string name;
    int slots = 1;
  };

  /// Throws ConfigError naming the file and line of a malformed line.
  static Hostfile parse(std::string_view text, const std::string& fileName);
  /// Throws ConfigError when the file cannot be read.
  static Hostfile load(const std::string& path);

  const std::vector<Host>& hosts() const { return hosts_; }

  /// The host of each of `processes` ranks. Throws ConfigError when the
  /// hosts have fewer slots than that.
  std::vector<std::string> placeRanks(int processes) const;

  /// localhost and 127.0.0.1 run here, without ssh.
  static bool isLocal(std::string_view host);

 private:
  std::string fileName_;
  std::vector<Host> hosts_;
};

}  // namespace ember::launcher

#pragma once
// MasterUrl: where a job runs, parsed from --master.

#include <string>
#include <string_view>

namespace ember {

/// A parsed master URL. Local mode is `local` (one core), `local[N]`,
/// `local[*]` (every core) and `local[N,F]` (F attempts per task, as in
/// Spark; otherwise a local task is not retried). `local-cluster[P,C]`
/// starts P processes of C cores on this machine, as `ember-run -n P
/// --cores C` does.
struct MasterUrl {
  int cores = 1;
  int maxTaskAttempts = 1;
  int processes = 0;  ///< P of local-cluster[P,C]; 0 in local mode

  /// Throws ConfigError naming the text and the accepted forms.
  static MasterUrl parse(std::string_view text);
};

}  // namespace ember

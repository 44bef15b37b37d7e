#pragma once
// MasterUrl: where a job runs, parsed from --master.

#include <string>
#include <string_view>

namespace ember {

/// A parsed master URL. Local mode is `local` (one core), `local[N]`,
/// `local[*]` (every core) and `local[N,F]` (F attempts per task, as in
/// Spark; otherwise a local task is not retried).
struct MasterUrl {
  int cores = 1;
  int maxTaskAttempts = 1;

  /// Throws ConfigError naming the text and the accepted forms.
  static MasterUrl parse(std::string_view text);
};

}  // namespace ember

#pragma once
// newRunId: a name for one run of a program, new every time.

#include <unistd.h>

#include <cstdio>
#include <random>
#include <string>

namespace ember {

/// 16 random hex digits and the process id: names the files a run leaves
/// behind (checkpoints) and the directories its processes share, so that no
/// two runs, even of the same process id, pick the same name.
inline std::string newRunId() {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  char id[40];
  std::snprintf(id, sizeof id, "%016llx-%d", static_cast<unsigned long long>(generator()),
                static_cast<int>(::getpid()));
  return id;
}

}  // namespace ember

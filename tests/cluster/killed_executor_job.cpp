// A job for the launcher's tests, run under ember-run -n 3: it sums values
// by key while the executor of rank 2 SIGKILLs itself in the middle of the
// map stage, then runs a second job without it. The driver prints whether
// each answer equals a plain loop's and exits 0 only if both do.
//   killed_executor_job SCRATCH_DIR

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <map>
#include <string>
#include <utility>

#include <ember/ember.hpp>

namespace {

constexpr int64_t kRecords = 60000;
constexpr int kKeys = 97;

/// True once per run, in the first task of rank 2 to get here.
bool firstVictimTask(const std::string& marker) {
  const char* rank = std::getenv("EMBER_RANK");
  if (rank == nullptr || std::string(rank) != "2") return false;
  const int fd = ::open(marker.c_str(), O_CREAT | O_EXCL | O_WRONLY, 0600);
  if (fd < 0) return false;
  ::close(fd);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  ember::Context ctx(argc, argv);
  if (argc < 2) {
    std::cerr << "usage: " << argv[0] << " SCRATCH_DIR\n";
    return 2;
  }
  const std::string marker = std::string(argv[1]) + "/killed";
  auto sums = ctx.range(0, kRecords, 1, 6)
                  .map([marker](int64_t x) {
                    if (x % 10000 == 5000 && firstVictimTask(marker)) ::raise(SIGKILL);
                    return std::pair{x % kKeys, x};
                  })
                  .reduceByKey(std::plus<>{}, 4)
                  .collectAsMap();
  const int64_t total = ctx.range(0, kRecords, 1, 4).reduce(std::plus<>{});
  if (!ctx.isDriver()) return 0;

  std::map<int64_t, int64_t> expected;
  int64_t expectedTotal = 0;
  for (int64_t x = 0; x < kRecords; ++x) {
    expected[x % kKeys] += x;
    expectedTotal += x;
  }
  const bool sumsMatch = std::map<int64_t, int64_t>(sums.begin(), sums.end()) == expected;
  std::cout << "sums match a plain loop: " << (sumsMatch ? "yes" : "no") << "\n"
            << "total matches a plain loop: " << (total == expectedTotal ? "yes" : "no") << "\n";
  return sumsMatch && total == expectedTotal ? 0 : 1;
}

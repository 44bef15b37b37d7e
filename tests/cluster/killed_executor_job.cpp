// A job for the launcher's tests, run under ember-run -n 3: the executor of
// rank 2 SIGKILLs itself in the middle of a map stage, then a second job
// runs without it. The driver prints whether each answer equals a plain
// loop's and exits 0 only if both do.
//   killed_executor_job SCRATCH_DIR [rdd|dataframe]
// rdd (the default) sums values by key with reduceByKey; dataframe does the
// same as a DataFrame groupBy/agg joined with a second DataFrame, the kill
// coming in the stage that reads and partially aggregates the rows.

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <map>
#include <string>
#include <tuple>
#include <utility>

#include <ember/ember.hpp>

namespace {

namespace F = ember::functions;

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

/// (x % kKeys, x) for x in [0, kRecords), rank 2 dying on its first task.
ember::Rdd<std::pair<int64_t, int64_t>> keyedRecords(ember::Context& ctx,
                                                     const std::string& marker) {
  return ctx.range(0, kRecords, 1, 6).map([marker](int64_t x) {
    if (x % 10000 == 5000 && firstVictimTask(marker)) ::raise(SIGKILL);
    return std::pair{x % kKeys, x};
  });
}

std::map<int64_t, int64_t> sumsWithRdds(ember::Context& ctx, const std::string& marker) {
  auto sums = keyedRecords(ctx, marker).reduceByKey(std::plus<>{}, 4).collectAsMap();
  return {sums.begin(), sums.end()};
}

/// The sums per key, through a groupBy and a join with a table of the keys
/// (whose `twice` column must come back as 2 * key).
std::map<int64_t, int64_t> sumsWithDataFrames(ember::Context& ctx, const std::string& marker) {
  ember::Session spark(ctx);
  spark.conf().set("ember.sql.shuffle.partitions", "4");
  ember::DataFrame records = spark.createDataFrame(keyedRecords(ctx, marker), {"key", "x"});
  ember::DataFrame keys =
      spark.range(kKeys).select(F::col("id").alias("key"), (F::col("id") * 2).alias("twice"));
  // A join of two aggregates, so that both sides shuffle (no broadcast).
  ember::DataFrame sums = records.groupBy("key").agg(F::sum("x").alias("total"));
  ember::DataFrame joined =
      sums.join(keys.groupBy("key").agg(F::max("twice").alias("twice")), "key");
  std::map<int64_t, int64_t> out;
  for (const ember::Row& r : joined.collect()) {
    if (r.getLong(2) != 2 * r.getLong(0)) return {};
    out[r.getLong(0)] = r.getLong(1);
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  ember::Context ctx(argc, argv);
  const std::string mode = argc > 2 ? argv[2] : "rdd";
  if (argc < 2 || (mode != "rdd" && mode != "dataframe")) {
    std::cerr << "usage: " << argv[0] << " SCRATCH_DIR [rdd|dataframe]\n";
    return 2;
  }
  const std::string marker = std::string(argv[1]) + "/killed";
  const std::map<int64_t, int64_t> sums =
      mode == "rdd" ? sumsWithRdds(ctx, marker) : sumsWithDataFrames(ctx, marker);
  const int64_t total = ctx.range(0, kRecords, 1, 4).reduce(std::plus<>{});
  if (!ctx.isDriver()) return 0;

  std::map<int64_t, int64_t> expected;
  int64_t expectedTotal = 0;
  for (int64_t x = 0; x < kRecords; ++x) {
    expected[x % kKeys] += x;
    expectedTotal += x;
  }
  const bool sumsMatch = sums == expected;
  std::cout << "sums match a plain loop: " << (sumsMatch ? "yes" : "no") << "\n"
            << "total matches a plain loop: " << (total == expectedTotal ? "yes" : "no") << "\n";
  return sumsMatch && total == expectedTotal ? 0 : 1;
}

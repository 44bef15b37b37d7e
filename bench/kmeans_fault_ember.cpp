// kmeans_fault_ember: k-means iterations over cached points while an executor
// is killed, the experiment of Figure 11 of the RDD paper (Zaharia et al.,
// NSDI 2012). The points are read from a text file and parsed, then cached;
// each iteration assigns every point to its nearest center and averages each
// cluster (a map and a reduceByKey over the cached points). At the start of
// iteration `kill` the driver SIGKILLs one executor, whose cached partitions
// ember recomputes from lineage: reading and parsing their part of the file
// again. Run it on several processes (local-cluster[3,1]).
//
//   kmeans_fault_ember generate <points> <file>
//   kmeans_fault_ember [--master ...] [--conf key=value]... <file> <iterations> <kill>
//
// kill = 0 kills nothing. The driver prints the time to read, parse and cache the
// points, one line per iteration and a summary:
//   load seconds=<s>
//   iteration=<i> seconds=<s>
//   ember  points=<n> iterations=<n> kill=<i> ok=<0|1> max_center_error=<e>
// ok is 1 when the final centers equal those of a plain loop running the same
// iterations over the same file (up to floating-point summation order).

#include <signal.h>
#include <unistd.h>

#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "ember_bench.hpp"

namespace {

constexpr int kDims = 8;
constexpr int kClusters = 32;
constexpr int kPartitions = 12;

using Point = std::array<double, kDims>;
using Sum = std::pair<Point, int64_t>;  // coordinates summed, and how many points

using ember_bench::mix;

/// Point i: near one of kClusters true centers, deterministic in i.
Point pointAt(int64_t i) {
  uint64_t bits = mix(static_cast<uint64_t>(i));
  const auto cluster = static_cast<double>(bits % kClusters);
  Point p{};
  for (int d = 0; d < kDims; ++d) {
    bits = mix(bits + static_cast<uint64_t>(d));
    const double noise = static_cast<double>(bits % 10000) / 10000.0 - 0.5;
    p[static_cast<size_t>(d)] = 10.0 * cluster * (d + 1) + noise;
  }
  return p;
}

int nearest(const Point& p, const std::vector<Point>& centers) {
  int best = 0;
  double bestDistance = INFINITY;
  for (size_t c = 0; c < centers.size(); ++c) {
    double distance = 0;
    for (int d = 0; d < kDims; ++d) {
      const double delta = p[static_cast<size_t>(d)] - centers[c][static_cast<size_t>(d)];
      distance += delta * delta;
    }
    if (distance < bestDistance) {
      bestDistance = distance;
      best = static_cast<int>(c);
    }
  }
  return best;
}

Sum add(const Sum& a, const Sum& b) {
  Sum s = a;
  for (int d = 0; d < kDims; ++d)
    s.first[static_cast<size_t>(d)] += b.first[static_cast<size_t>(d)];
  s.second += b.second;
  return s;
}

/// The new centers; a cluster that lost every point keeps its center.
std::vector<Point> averages(const std::map<int, Sum>& sums, std::vector<Point> centers) {
  for (const auto& [c, sum] : sums) {
    for (int d = 0; d < kDims; ++d)
      centers[static_cast<size_t>(c)][static_cast<size_t>(d)] =
          sum.first[static_cast<size_t>(d)] / static_cast<double>(sum.second);
  }
  return centers;
}

std::vector<Point> initialCenters() {
  std::vector<Point> centers;
  for (int c = 0; c < kClusters; ++c) centers.push_back(pointAt(c));
  return centers;
}

/// "x1,x2,...": the line of a point in the input file, kDims numbers.
/// std::from_chars, not strtod: no locale, and several times faster, which
/// is what re-parsing a lost executor's partitions costs.
Point parsePoint(const std::string& line) {
  Point p{};
  const char* at = line.data();
  const char* const end = at + line.size();
  for (int d = 0; d < kDims && at < end; ++d) {
    at = std::from_chars(at, end, p[static_cast<size_t>(d)]).ptr;
    if (at < end && *at == ',') ++at;
  }
  return p;
}

int generate(int64_t n, const char* file) {
  std::FILE* out = std::fopen(file, "w");
  if (!out) {
    std::perror(file);
    return 1;
  }
  for (int64_t i = 0; i < n; ++i) {
    const Point p = pointAt(i);
    for (int d = 0; d < kDims; ++d)
      std::fprintf(out, d == 0 ? "%.6f" : ",%.6f", p[static_cast<size_t>(d)]);
    std::fputc('\n', out);
  }
  return std::fclose(out) == 0 ? 0 : 1;
}

std::vector<Point> plainKMeans(const std::string& file, int iterations) {
  std::vector<Point> points;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) points.push_back(parsePoint(line));
  std::vector<Point> centers = initialCenters();
  for (int it = 0; it < iterations; ++it) {
    std::map<int, Sum> sums;
    for (const Point& p : points) {
      const int c = nearest(p, centers);
      auto [slot, fresh] = sums.try_emplace(c, Sum{p, 1});
      if (!fresh) slot->second = add(slot->second, Sum{p, 1});
    }
    centers = averages(sums, centers);
  }
  return centers;
}

/// The pid of a process other than this one that ran a task: an executor.
pid_t anExecutor(ember::Context& ctx) {
  const auto pids = ctx.range(0, 64, 1, 64)
                        .map([](int64_t) { return static_cast<int64_t>(::getpid()); })
                        .collect();
  for (int64_t pid : pids) {
    if (pid != ::getpid()) return static_cast<pid_t>(pid);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 4 && std::string(argv[1]) == "generate")
    return generate(std::atoll(argv[2]), argv[3]);
  try {
    ember::Context ctx(argc, argv);
    if (argc != 4) {
      std::fprintf(stderr,
                   "usage: %s generate <points> <file>\n"
                   "       %s [--master ...] <file> <iterations> <kill>\n",
                   argv[0], argv[0]);
      return 2;
    }
    const std::string file = argv[1];
    const int iterations = std::atoi(argv[2]);
    const int killAt = std::atoi(argv[3]);
    const pid_t victim = killAt > 0 ? anExecutor(ctx) : 0;
    if (killAt > 0 && victim == 0) {
      std::fprintf(stderr,
                   "kmeans_fault_ember: no task ran in an executor: run it on several processes\n");
      return 2;
    }
    auto points = ctx.textFile(file, kPartitions).map(parsePoint).cache();
    const auto loadStart = std::chrono::steady_clock::now();
    const int64_t n = points.count();  // reads, parses and caches the points
    if (ctx.isDriver())
      std::printf(
          "load seconds=%.3f\n",
          std::chrono::duration<double>(std::chrono::steady_clock::now() - loadStart).count());
    std::vector<Point> centers = initialCenters();
    for (int it = 1; it <= iterations; ++it) {
      if (it == killAt && ctx.isDriver()) ::kill(victim, SIGKILL);
      const auto start = std::chrono::steady_clock::now();
      const auto sums = points
                            .map([centers](const Point& p) {
                              return std::pair{nearest(p, centers), Sum{p, 1}};
                            })
                            .reduceByKey(add, kClusters)
                            .collectAsMap();
      centers = averages({sums.begin(), sums.end()}, centers);
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (ctx.isDriver()) std::printf("iteration=%d seconds=%.3f\n", it, seconds);
    }
    if (!ctx.isDriver()) return 0;
    const std::vector<Point> expected = plainKMeans(file, iterations);
    double maxError = 0;
    for (size_t c = 0; c < centers.size(); ++c)
      for (size_t d = 0; d < kDims; ++d)
        maxError = std::max(maxError, std::abs(centers[c][d] - expected[c][d]));
    std::printf("ember  points=%lld iterations=%d kill=%d ok=%d max_center_error=%.3g\n",
                static_cast<long long>(n), iterations, killAt, maxError < 1e-6 ? 1 : 0, maxError);
    return maxError < 1e-6 ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "kmeans_fault_ember: %s\n", e.what());
    return 1;
  }
}

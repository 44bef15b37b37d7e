#pragma once
// The per-task operations of narrow transformations that keep state over a
// partition (see MapPartitionsRdd for the protocol).

#include <memory>
#include <random>

#include "rdd/detail/node.hpp"
#include "rdd/detail/piped_process.hpp"
#include "rdd/detail/text_format.hpp"
#include "rdd/detail/traits.hpp"

namespace ember::detail {

/// mapPartitionsWithIndex: gathers the partition, then calls f(index, all).
template <class T, class U, class F>
struct WholePartitionOp {
  F f;
  int partition;
  std::vector<T> all{};

  void operator()(std::vector<T>& batch, Emitter<U>&) {
    all.insert(all.end(), std::make_move_iterator(batch.begin()),
               std::make_move_iterator(batch.end()));
  }
  void finish(Emitter<U>& out) { emitAll(f(partition, std::move(all)), out); }
};

/// glom: one vector per partition, also for an empty partition.
template <class T>
struct GlomOp {
  std::vector<T> all{};

  void operator()(std::vector<T>& batch, Emitter<std::vector<T>>&) {
    all.insert(all.end(), std::make_move_iterator(batch.begin()),
               std::make_move_iterator(batch.end()));
  }
  void finish(Emitter<std::vector<T>>& out) { out.emit(std::move(all)); }
};

/// A seed per partition, so partitions sample independently and the same
/// seed always gives the same sample (splitmix64's mixing).
inline uint64_t partitionSeed(uint64_t seed, int partition) {
  uint64_t z = seed + 0x9E3779B97F4A7C15ull * static_cast<uint64_t>(partition + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/// sample: Bernoulli (each element kept with probability fraction) or
/// Poisson (each element repeated Poisson(fraction) times).
template <class T>
struct SampleOp {
  bool withReplacement;
  double fraction;
  std::mt19937_64 rng;

  void operator()(std::vector<T>& batch, Emitter<T>& out) {
    if (withReplacement) {
      if (fraction <= 0) return;
      std::poisson_distribution<int> copies(fraction);
      for (const T& x : batch) {
        for (int k = copies(rng); k > 0; --k) out.emit(x);
      }
    } else {
      std::uniform_real_distribution<double> u(0.0, 1.0);
      for (T& x : batch) {
        if (u(rng) < fraction) out.emit(std::move(x));
      }
    }
  }
};

/// pipe: streams the partition through a child process.
template <class T>
struct PipeOp {
  std::unique_ptr<PipedProcess> process;
  std::string line{};
  std::vector<std::string> lines{};

  void operator()(std::vector<T>& batch, Emitter<std::string>& out) {
    for (const T& x : batch) {
      line.clear();
      appendText(line, x);
      process->writeLine(line);
    }
    process->takeLines(lines);
    drain(out);
  }
  void finish(Emitter<std::string>& out) {
    process->finish(lines);
    drain(out);
  }
  void drain(Emitter<std::string>& out) {
    for (auto& l : lines) out.emit(std::move(l));
    lines.clear();
  }
};

}  // namespace ember::detail

#pragma once
// InProcessCluster: the ranks of one job as threads of the test process,
// joined by an InProcessTransport group: the cluster scheduler, speculation
// and loss recovery tested in milliseconds and without sockets. Suites that
// need real processes (SIGKILL, ember-run, TCP) stay in tests/cluster.

#include <gtest/gtest.h>

#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <ember/ember.hpp>

#include "net/in_process_transport.hpp"
#include "rdd/detail/runtime.hpp"
#include "scheduler/cluster.hpp"

namespace ember::testing {

class InProcessCluster {
 public:
  /// `ranks` ranks, rank 0 the driver, each with `conf`'s settings.
  InProcessCluster(int ranks, Conf conf) : ranks_(ranks), conf_(std::move(conf)) {}

  /// Runs `program(ctx)` on every rank at once, each with a Context of its
  /// own (the same program on each, as under ember-run), and returns once
  /// every rank's Context ended. Rethrows the driver's exception; an
  /// executor's fails the test, unless crash() ended that executor.
  void run(const std::function<void(Context&)>& program) {
    auto transports = net::InProcessTransport::group(ranks_, std::chrono::seconds(30));
    contexts_.assign(static_cast<size_t>(ranks_), nullptr);
    std::vector<std::exception_ptr> errors(static_cast<size_t>(ranks_));
    std::vector<std::thread> threads;
    for (int r = 0; r < ranks_; ++r) {
      threads.emplace_back(
          [&, r, transport = std::move(transports[static_cast<size_t>(r)])]() mutable {
            const auto rank = static_cast<size_t>(r);
            try {
              Context ctx(conf_, std::move(transport));
              {
                std::lock_guard lock(mutex_);
                contexts_[rank] = &ctx;
              }
              program(ctx);
              std::lock_guard lock(mutex_);
              contexts_[rank] = nullptr;
            } catch (...) {
              std::lock_guard lock(mutex_);
              contexts_[rank] = nullptr;
              errors[rank] = std::current_exception();
            }
          });
    }
    for (std::thread& t : threads) t.join();
    for (int r = 1; r < ranks_; ++r) {
      if (errors[static_cast<size_t>(r)] && !crashed_.contains(r))
        ADD_FAILURE() << "rank " << r << " failed: " << describe(errors[static_cast<size_t>(r)]);
    }
    if (errors[0]) std::rethrow_exception(errors[0]);
  }

  /// The rank `ctx` is, in a program run().
  static int rankOf(Context& ctx) { return ctx.runtime()->cluster->rank(); }

  /// Ends executor `rank` as a crash would: every other rank hears it was
  /// lost, and it hears the driver was (its actions throw NetError). May be
  /// called from one of that rank's tasks.
  void crash(int rank) {
    Context* ctx = nullptr;
    {
      std::lock_guard lock(mutex_);
      if (!crashed_.insert(rank).second) return;
      ctx = contexts_.at(static_cast<size_t>(rank));
    }
    if (ctx == nullptr) return;
    ctx->runtime()->cluster->abandon("rank " + std::to_string(rank) +
                                     " crashed (InProcessCluster::crash)");
  }

 private:
  static std::string describe(const std::exception_ptr& error) {
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      return e.what();
    } catch (...) {
      return "a non-standard exception";
    }
  }

  int ranks_;
  Conf conf_;
  std::mutex mutex_;
  std::vector<Context*> contexts_;  ///< per rank, while its program runs
  std::set<int> crashed_;
};

}  // namespace ember::testing

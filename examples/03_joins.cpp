// Tutorial 03: joins, and what the shuffle behind them costs.
//
// What to look at:
//   1. join pairs every customer with each of their orders:
//      (customer_id, (customer, amount)). Keys present on one side only drop out.
//   2. leftOuterJoin / rightOuterJoin / fullOuterJoin keep them; the side
//      without a match is a std::optional, printed None as PySpark does.
//   3. cogroup is the shuffle all joins are built on: one record per key of
//      either side, with all its values from each side in two vectors.
//   4. A join is a shuffle: every record of both sides is written to the
//      shuffle and read back, grouped by key (the task metrics a listener
//      receives say how many records and bytes). Bytes are the records'
//      in-memory size: a record of the join's shuffle is a key and a value
//      tagged with its side (80 bytes here); partitionBy ships the plain
//      pairs (72 bytes a customer, 16 an order).
//      Partitioning both sides once with the same partitioner
//      (partitionBy(HashPartitioner(4))) costs one shuffle of each; then every
//      join between them reads partition i of both sides in the same task:
//      nothing is shuffled again, and the stages that partitioned them are
//      skipped. (In Spark you would also persist() the partitioned RDDs.)
//   5. Skew: HashPartitioner(4) sends customer k to partition k mod 4, so all
//      300 orders of customer 7, the hot key, land in one task, which reads
//      far more than the others and finishes last. Salting the hot key or
//      broadcasting the small side are the usual cures.
//
// Run it from the repository root (or pass the data directory):
//   build/release/examples/03_joins [--master local[N]] [examples/data]
//
// The output you should see on the bundled customers.csv (200 customers)
// and orders.csv (1000 orders, 300 of them by customer 7, 10 by unknown
// customers 202-205), the same with any local[N]:
//   1. join: 990 pairs; revenue by country: Brazil 29019 France 35713 ...
//   2. leftOuterJoin: 1004 pairs; 14 customers have no order, the first:
//      (19, ((Linus L., USA), None)); rightOuterJoin: 1000 pairs; 10 orders
//      name no known customer, the first: (202, (None, 122)); fullOuterJoin: 1014
//   3. cogroup: 204 keys; customer 7: 1 customer, 300 orders worth 75639; ...
//   4. join: 2 stages; shuffle wrote 1200 records (96000 bytes), read 1200 ...
//      partitionBy both sides, then join: 3 stages; ... (30400 bytes) ...
//      join them again: 1 stages (2 skipped); shuffle wrote 0 records (0 bytes),
//      read 1200 records (30400 bytes)
//   5. records each join task read: partition 0 226 partition 1 227
//      partition 2 231 partition 3 516 (of 1200); customer 7 alone: 301
//      records (1 customer, 300 orders), all in partition 3

#include <cstdint>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <ember/ember.hpp>

using Customer = std::pair<std::string, std::string>;  // (name, country)

// The fields of one CSV line (no quoting in the bundled files).
std::vector<std::string> splitCsv(const std::string& line) {
  std::vector<std::string> fields(1);
  for (char c : line) {
    if (c == ',') {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  return fields;
}

std::string show(const Customer& c) { return "(" + c.first + ", " + c.second + ")"; }
std::string show(int64_t n) { return std::to_string(n); }
template <class T>
std::string show(const std::optional<T>& o) {
  return o ? show(*o) : "None";
}

// Sums the metrics of each job's stages, and what each task of its last
// stage (the one that reads the join's shuffle) read. Listeners are called
// one event at a time, so plain members are enough.
class ShuffleReport : public ember::SchedulerListener {
 public:
  void onJobStart(const ember::JobStartEvent& e) override {
    resultStage_ = e.stages.back().stageId;  // stages come parents first
    stages_ = skipped_ = 0;
    total_ = {};
    readByPartition_.clear();
  }
  void onStageCompleted(const ember::StageCompletedEvent& e) override {
    if (e.skipped) {
      ++skipped_;
      return;
    }
    ++stages_;
    total_ += e.metrics;
  }
  void onTaskEnd(const ember::TaskEndEvent& e) override {
    if (e.task.stageId == resultStage_)
      readByPartition_[e.task.partition] += e.metrics.shuffleReadRecords;
  }

  std::string lastJob() const {
    return std::to_string(stages_) + " stages" +
           (skipped_ > 0 ? " (" + std::to_string(skipped_) + " skipped)" : "") +
           "; shuffle wrote " + std::to_string(total_.shuffleWriteRecords) + " records (" +
           std::to_string(total_.shuffleWriteBytes) + " bytes), read " +
           std::to_string(total_.shuffleReadRecords) + " records (" +
           std::to_string(total_.shuffleReadBytes) + " bytes)";
  }
  const std::map<int, int64_t>& readByPartition() const { return readByPartition_; }

 private:
  int resultStage_ = -1;
  int stages_ = 0;
  int skipped_ = 0;
  ember::TaskMetrics total_;
  std::map<int, int64_t> readByPartition_;
};

int main(int argc, char** argv) {
  ember::Context ctx(argc, argv);
  const std::string dir = argc > 1 ? argv[1] : "examples/data";
  auto report = std::make_shared<ShuffleReport>();
  ctx.addListener(report);

  // (customer_id, (name, country)) and (customer_id, amount), header lines dropped.
  auto customers =
      ctx.textFile(dir + "/customers.csv", 2)
          .filter([](const std::string& line) { return !line.starts_with("customer_id"); })
          .map([](const std::string& line) {
            auto f = splitCsv(line);
            return std::pair{int64_t{std::stoll(f[0])}, Customer{f[1], f[2]}};
          });
  auto orders = ctx.textFile(dir + "/orders.csv", 4)
                    .filter([](const std::string& line) { return !line.starts_with("order_id"); })
                    .map([](const std::string& line) {
                      auto f = splitCsv(line);
                      return std::pair{int64_t{std::stoll(f[1])}, int64_t{std::stoll(f[2])}};
                    });
  std::cout << "customers.csv: " << customers.count()
            << " customers; orders.csv: " << orders.count() << " orders\n\n";

  // 1. Inner join, then an aggregation on the joined records.
  auto joined = customers.join(orders, 4);
  auto revenue = joined
                     .map([](const auto& kv) {
                       const auto& [customer, amount] = kv.second;
                       return std::pair{customer.second, amount};
                     })
                     .reduceByKey(std::plus<>{})
                     .sortByKey()
                     .collect();
  std::cout << "1. join: " << joined.count() << " pairs (customer_id, (customer, amount))\n"
            << "   revenue by country:";
  for (const auto& [country, total] : revenue) std::cout << " " << country << " " << total;
  std::cout << "\n\n";

  // 2. Outer joins: the side without a match is std::optional.
  auto left = customers.leftOuterJoin(orders, 4);
  auto noOrders = left.filter([](const auto& kv) { return !kv.second.second; });
  auto firstNoOrder = noOrders.takeOrdered(1).front();
  auto right = customers.rightOuterJoin(orders, 4);
  auto unknown = right.filter([](const auto& kv) { return !kv.second.first; });
  auto firstUnknown = unknown.takeOrdered(1).front();
  std::cout << "2. leftOuterJoin: " << left.count() << " pairs; " << noOrders.count()
            << " customers have no order, the first: (" << firstNoOrder.first << ", ("
            << show(firstNoOrder.second.first) << ", " << show(firstNoOrder.second.second) << "))\n"
            << "   rightOuterJoin: " << right.count() << " pairs; " << unknown.count()
            << " orders name no known customer, the first: (" << firstUnknown.first << ", ("
            << show(firstUnknown.second.first) << ", " << show(firstUnknown.second.second) << "))\n"
            << "   fullOuterJoin: " << customers.fullOuterJoin(orders, 4).count() << " pairs\n\n";

  // 3. cogroup: every key once, with all of its values from each side.
  auto grouped = customers.cogroup(orders, 4);
  std::cout << "3. cogroup: " << grouped.count() << " keys";
  for (int64_t id : {int64_t{7}, firstNoOrder.first, firstUnknown.first}) {
    const auto groups = grouped.lookup(id);  // one (customers, orders) pair per key
    const auto& [who, amounts] = groups.front();
    int64_t worth = 0;
    for (int64_t a : amounts) worth += a;
    std::cout << "; customer " << id << ": " << who.size() << " customer, " << amounts.size()
              << " orders worth " << worth;
  }
  std::cout << "\n\n";

  // 4. The cost of the shuffle, from the task metrics of each job.
  std::cout << "4. shuffle cost\n";
  customers.join(orders, 4).count();
  std::cout << "   join: " << report->lastJob() << "\n";
  const auto readByPartition = report->readByPartition();

  ember::HashPartitioner byId(4);
  auto placedCustomers = customers.partitionBy(byId);
  auto placedOrders = orders.partitionBy(byId);
  placedCustomers.join(placedOrders).count();
  std::cout << "   partitionBy both sides, then join: " << report->lastJob() << "\n";
  placedCustomers.leftOuterJoin(placedOrders).count();
  std::cout << "   join them again: " << report->lastJob() << "\n\n";

  // 5. Skew: what each task of the join read.
  std::cout << "5. records each join task read:";
  int64_t total = 0;
  for (const auto& [partition, records] : readByPartition) {
    std::cout << " partition " << partition << " " << records;
    total += records;
  }
  int64_t hot = 0;
  for (const auto& [id, amount] : orders.collect()) hot += id == 7 ? 1 : 0;
  std::cout << " (of " << total << ")\n   customer 7 alone: " << hot + 1 << " records (1 customer, "
            << hot << " orders), all in partition " << byId.getPartition(int64_t{7}) << "\n";
}

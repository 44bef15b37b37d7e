#include "sql/execution/exchange.hpp"

#include <cmath>
#include <functional>

#include "sql/expression/evaluator.hpp"

namespace ember::sql {
namespace {

uint64_t mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return h;
}

/// Folds column `c` into the row hashes: equal values (and nulls) hash alike.
void hashColumn(const ColumnVector& c, std::vector<uint64_t>& h) {
  const size_t n = c.size();
  if (c.physical() == Physical::kString) {
    for (size_t i = 0; i < n; ++i) {
      const uint64_t v = c.isNull(i) ? 0x9e37 : std::hash<std::string_view>{}(c.stringAt(i));
      h[i] = mix(h[i] * 31 + v);
    }
    return;
  }
  for (size_t i = 0; i < n; ++i) {
    uint64_t v = 0x9e37;
    if (!c.isNull(i)) {
      if (c.physical() == Physical::kDouble) {
        double d = c.values<double>()[i];
        if (d == 0) d = 0;
        if (std::isnan(d)) d = std::nan("");
        std::memcpy(&v, &d, sizeof v);
      } else {
        const size_t w = widthOf(c.physical());
        unsigned char bytes[16] = {};
        std::memcpy(bytes, c.values<unsigned char>() + i * w, w);
        // The keys of one exchange have one type (analysis casts both
        // sides of a comparison alike), so a value's bytes are its hash input.
        uint64_t lo, hi;
        std::memcpy(&lo, bytes, 8);
        std::memcpy(&hi, bytes + 8, 8);
        v = lo ^ mix(hi);
      }
    }
    h[i] = mix(h[i] * 31 + v);
  }
}

}  // namespace

bool ExchangePartitioner::equals(const Partitioner& other) const {
  auto* o = dynamic_cast<const ExchangePartitioner*>(&other);
  return o && o->partitions_ == partitions_;
}

std::string ExchangePartitioner::describe() const {
  return "hashpartitioning(" + std::to_string(partitions_) + ")";
}

std::vector<uint32_t> partitionOfRows(const std::vector<ColumnPtr>& keys, size_t rows,
                                      int partitions) {
  std::vector<uint64_t> h(rows, 42);
  for (const ColumnPtr& k : keys) hashColumn(*k, h);
  std::vector<uint32_t> part(rows);
  for (size_t i = 0; i < rows; ++i)
    part[i] = static_cast<uint32_t>(h[i] % static_cast<uint64_t>(partitions));
  return part;
}

Rdd<Batch> hashExchange(const Rdd<Batch>& in, std::vector<ExprPtr> keys, int partitions) {
  return in
      .flatMap([keys = std::move(keys), partitions](const Batch& b) {
        std::vector<ColumnPtr> values;
        for (const ExprPtr& k : keys) values.push_back(evaluate(*k, b));
        const std::vector<uint32_t> part = partitionOfRows(values, b.numRows(), partitions);
        std::vector<std::vector<uint32_t>> rows(static_cast<size_t>(partitions));
        for (size_t i = 0; i < part.size(); ++i) rows[part[i]].push_back(static_cast<uint32_t>(i));
        std::vector<std::pair<int, Batch>> out;
        for (size_t p = 0; p < rows.size(); ++p) {
          if (rows[p].empty()) continue;
          out.emplace_back(static_cast<int>(p), rows[p].size() == b.numRows()
                                                    ? b
                                                    : b.gather(rows[p].data(), rows[p].size()));
        }
        return out;
      })
      .partitionBy(ExchangePartitioner(partitions))
      .values();
}

}  // namespace ember::sql

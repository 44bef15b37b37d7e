#include "sql/execution/hash_aggregator.hpp"

#include <cmath>
#include <limits>

#include "sql/execution/detail/group_lists.hpp"
#include "sql/expression/decimal.hpp"
#include "sql/expression/evaluator.hpp"

namespace ember::sql {
namespace {

enum class ValueClass : uint8_t { kInteger, kReal, kString };

ValueClass classOf(DataType t) {
  if (t.id() == TypeId::kString) return ValueClass::kString;
  if (t.id() == TypeId::kDouble) return ValueClass::kReal;
  return ValueClass::kInteger;
}

/// Stores an unscaled value in row i of `c`; false when it exceeds a
/// decimal's precision (the row is to be null).
bool storeInteger(ColumnVector& c, size_t i, Int128 v) {
  const DataType t = c.type();
  if (t.id() == TypeId::kDecimal && !fitsPrecision(v, t.precision())) return false;
  switch (c.physical()) {
    case Physical::kBool:
      c.values<uint8_t>()[i] = static_cast<uint8_t>(v);
      return true;
    case Physical::kInt32:
      c.values<int32_t>()[i] = static_cast<int32_t>(v);
      return true;
    case Physical::kInt64:
      c.values<int64_t>()[i] = static_cast<int64_t>(v);
      return true;
    case Physical::kInt128:
      c.values<Int128>()[i] = v;
      return true;
    default:
      return false;
  }
}

}  // namespace

/// The states of one aggregate function for every group, as parallel arrays.
struct HashAggregator::State {
  AggregateFunction f;
  ValueClass cls;
  std::vector<int64_t> count;
  std::vector<uint8_t> seen;
  std::vector<Int128> integer;  ///< integral sums, decimal sums, integer min/max/first
  std::vector<double> real;     ///< double sums and min/max/first; stddev's mean
  std::vector<double> m2;       ///< stddev: sum of squared deviations
  std::vector<std::string> text;
  std::vector<uint8_t> valueNull;     ///< first: the first value was null
  std::unique_ptr<GroupLists> lists;  ///< collect_list and collect_set

  explicit State(AggregateFunction fn)
      : f(std::move(fn)),
        cls(classOf(f.kind == AggKind::kAvg || f.kind == AggKind::kSum || f.kind == AggKind::kStddev
                        ? f.stateTypes()[0]
                        : f.input)) {
    if (f.collects()) lists = std::make_unique<GroupLists>(f.input, f.kind == AggKind::kCollectSet);
  }

  /// Long strings' own buffers are not counted: min and max of strings
  /// are rare in large aggregations, and a scan per call would cost more.
  int64_t bytes() const {
    const size_t b = count.capacity() * 8 + seen.capacity() + valueNull.capacity() +
                     integer.capacity() * sizeof(Int128) + (real.capacity() + m2.capacity()) * 8 +
                     text.capacity() * sizeof(std::string);
    return static_cast<int64_t>(b) + (lists ? lists->bytes() : 0);
  }

  void grow(size_t groups) {
    if (lists) return lists->grow(groups);
    count.resize(groups, 0);
    seen.resize(groups, 0);
    valueNull.resize(groups, 0);
    if (cls == ValueClass::kString) text.resize(groups);
    if (cls == ValueClass::kInteger) integer.resize(groups, 0);
    if (cls == ValueClass::kReal) real.resize(groups, 0);
    if (f.kind == AggKind::kStddev) m2.resize(groups, 0);
  }

  bool better(Int128 v, uint32_t g) const {
    return f.kind == AggKind::kMin ? v < integer[g] : v > integer[g];
  }
  bool better(double v, uint32_t g) const {
    return f.kind == AggKind::kMin ? v < real[g] : v > real[g];
  }
  bool better(std::string_view v, uint32_t g) const {
    return f.kind == AggKind::kMin ? v < text[g] : v > text[g];
  }

  /// Folds one input value of group g (row i of `in`, not null).
  void fold(const ColumnVector& in, size_t i, uint32_t g) {
    switch (f.kind) {
      case AggKind::kCount:
      case AggKind::kCountStar:
        ++count[g];
        return;
      case AggKind::kSum:
      case AggKind::kAvg:
        ++count[g];
        seen[g] = 1;
        if (cls == ValueClass::kReal) {
          real[g] += in.physical() == Physical::kDouble ? in.values<double>()[i]
                                                        : static_cast<double>(integerAt(in, i));
        } else {
          integer[g] += integerAt(in, i);
        }
        return;
      case AggKind::kStddev: {
        // Welford: one pass, stable.
        const double x = in.physical() == Physical::kDouble
                             ? in.values<double>()[i]
                             : static_cast<double>(integerAt(in, i)) /
                                   static_cast<double>(pow10(in.type().scale()));
        ++count[g];
        const double delta = x - real[g];
        real[g] += delta / static_cast<double>(count[g]);
        m2[g] += delta * (x - real[g]);
        return;
      }
      case AggKind::kFirst:
        return;  // handled by its caller, which sees nulls too
      default:
        break;
    }
    // min and max
    if (cls == ValueClass::kString) {
      const std::string_view v = in.stringAt(i);
      if (!seen[g] || better(v, g)) text[g].assign(v);
    } else if (cls == ValueClass::kReal) {
      const double v = in.values<double>()[i];
      if (!seen[g] || better(v, g)) real[g] = v;
    } else {
      const Int128 v = integerAt(in, i);
      if (!seen[g] || better(v, g)) integer[g] = v;
    }
    seen[g] = 1;
  }

  void setFirst(const ColumnVector& in, size_t i, uint32_t g) {
    seen[g] = 1;
    valueNull[g] = in.isNull(i);
    if (in.isNull(i)) return;
    if (cls == ValueClass::kString) {
      text[g].assign(in.stringAt(i));
    } else if (cls == ValueClass::kReal) {
      real[g] = in.values<double>()[i];
    } else {
      integer[g] = integerAt(in, i);
    }
  }

  void update(const ColumnVector* in, const std::vector<uint32_t>& gid) {
    const size_t rows = gid.size();
    if (lists) {  // collect_list and collect_set skip nulls, as Spark's
      for (size_t i = 0; i < rows; ++i)
        if (!in->isNull(i)) lists->add(gid[i], *in, i);
      return;
    }
    if (f.kind == AggKind::kCountStar) {
      for (size_t i = 0; i < rows; ++i) ++count[gid[i]];
      return;
    }
    if (f.kind == AggKind::kFirst) {
      for (size_t i = 0; i < rows; ++i)
        if (!seen[gid[i]]) setFirst(*in, i, gid[i]);
      return;
    }
    if (f.kind == AggKind::kCount && !in->mayHaveNulls()) {
      for (size_t i = 0; i < rows; ++i) ++count[gid[i]];
      return;
    }
    if (f.kind == AggKind::kSum && cls == ValueClass::kReal && !in->mayHaveNulls() &&
        in->physical() == Physical::kDouble) {
      const double* v = in->values<double>();
      for (size_t i = 0; i < rows; ++i) real[gid[i]] += v[i];
      for (size_t i = 0; i < rows; ++i) seen[gid[i]] = 1;
      return;
    }
    for (size_t i = 0; i < rows; ++i)
      if (!in->isNull(i)) fold(*in, i, gid[i]);
  }

  /// Merges the partial states in columns [first, ...) of `b`.
  void merge(const Batch& b, size_t first, const std::vector<uint32_t>& gid) {
    const size_t rows = gid.size();
    const ColumnVector& s0 = b.column(first);
    if (lists) {  // the partial lists' elements, none of them null
      const ColumnVector& elements = s0.elements();
      for (size_t i = 0; i < rows; ++i)
        for (uint32_t e = s0.arrayBegin(i); e < s0.arrayEnd(i); ++e)
          lists->add(gid[i], elements, e);
      return;
    }
    switch (f.kind) {
      case AggKind::kCount:
      case AggKind::kCountStar:
        for (size_t i = 0; i < rows; ++i) count[gid[i]] += s0.values<int64_t>()[i];
        return;
      case AggKind::kStddev: {
        const ColumnVector& mean = b.column(first + 1);
        const ColumnVector& sq = b.column(first + 2);
        for (size_t i = 0; i < rows; ++i) {
          const auto n2 = static_cast<int64_t>(s0.values<double>()[i]);
          if (n2 == 0) continue;
          const uint32_t g = gid[i];
          const double n1 = static_cast<double>(count[g]), nb = static_cast<double>(n2);
          const double delta = mean.values<double>()[i] - real[g];
          const double n = n1 + nb;
          real[g] += delta * nb / n;
          m2[g] += sq.values<double>()[i] + delta * delta * n1 * nb / n;
          count[g] += n2;
        }
        return;
      }
      case AggKind::kFirst: {
        const ColumnVector& had = b.column(first + 1);
        for (size_t i = 0; i < rows; ++i)
          if (!seen[gid[i]] && had.values<uint8_t>()[i]) setFirst(s0, i, gid[i]);
        return;
      }
      case AggKind::kAvg:
      case AggKind::kSum: {
        // avg's state has its count in the next column; a sum's count is
        // not kept (its nulls say whether it saw a value).
        const ColumnVector* n = f.kind == AggKind::kAvg ? &b.column(first + 1) : nullptr;
        for (size_t i = 0; i < rows; ++i) {
          const uint32_t g = gid[i];
          if (n) count[g] += n->values<int64_t>()[i];
          if (!s0.isNull(i)) addSum(s0, i, g);
        }
        return;
      }
      default:  // min, max: states are values
        for (size_t i = 0; i < rows; ++i)
          if (!s0.isNull(i)) fold(s0, i, gid[i]);
        return;
    }
  }

  /// Adds the (non-null) partial sum in row i of `s` to group g's.
  void addSum(const ColumnVector& s, size_t i, uint32_t g) {
    seen[g] = 1;
    if (cls == ValueClass::kReal) {
      real[g] += s.values<double>()[i];
    } else {
      integer[g] += integerAt(s, i);
    }
  }

  /// Writes group g's value (min/max/first/sum kinds) to row r of `out`.
  void storeValue(ColumnVector& out, size_t r, uint32_t g) const {
    if (!seen[g] || valueNull[g]) return out.setNull(r);
    bool ok = true;
    if (cls == ValueClass::kReal) {
      out.values<double>()[r] = real[g];
    } else if (cls == ValueClass::kInteger) {
      ok = storeInteger(out, r, integer[g]);
    }
    if (!ok) out.setNull(r);
  }

  std::shared_ptr<ColumnVector> column(DataType t, size_t from, size_t n) const {
    auto c = std::make_shared<ColumnVector>(t);
    if (t.id() == TypeId::kString) {
      for (size_t g = from; g < from + n; ++g) {
        if (!seen[g] || valueNull[g]) {
          c->appendNull();
        } else {
          c->appendString(text[g]);
        }
      }
      return c;
    }
    c->resize(n);
    for (size_t k = 0; k < n; ++k) storeValue(*c, k, static_cast<uint32_t>(from + k));
    return c;
  }

  std::shared_ptr<ColumnVector> counts(size_t from, size_t n) const {
    auto c = std::make_shared<ColumnVector>(DataType::bigint(), n);
    for (size_t k = 0; k < n; ++k) c->values<int64_t>()[k] = count[from + k];
    return c;
  }

  std::shared_ptr<ColumnVector> reals(const std::vector<double>& v, size_t from, size_t n) const {
    auto c = std::make_shared<ColumnVector>(DataType::float64(), n);
    for (size_t k = 0; k < n; ++k) c->values<double>()[k] = v[from + k];
    return c;
  }

  void writeStates(std::vector<ColumnPtr>& out, size_t from, size_t n) const {
    if (lists) return out.push_back(lists->arrays(f.result, from, n));
    const std::vector<DataType> types = f.stateTypes();
    switch (f.kind) {
      case AggKind::kCount:
      case AggKind::kCountStar:
        out.push_back(counts(from, n));
        return;
      case AggKind::kStddev: {
        std::vector<double> ns(count.begin(), count.end());
        out.push_back(reals(ns, from, n));
        out.push_back(reals(real, from, n));
        out.push_back(reals(m2, from, n));
        return;
      }
      case AggKind::kAvg:
        out.push_back(column(types[0], from, n));
        out.push_back(counts(from, n));
        return;
      case AggKind::kFirst: {
        out.push_back(column(types[0], from, n));
        auto had = std::make_shared<ColumnVector>(DataType::boolean(), n);
        for (size_t k = 0; k < n; ++k) had->values<uint8_t>()[k] = seen[from + k];
        out.push_back(had);
        return;
      }
      default:
        out.push_back(column(types[0], from, n));
        return;
    }
  }

  ColumnPtr results(size_t from, size_t n) const {
    if (lists) return lists->arrays(f.result, from, n);
    switch (f.kind) {
      case AggKind::kCount:
      case AggKind::kCountStar:
        return counts(from, n);
      case AggKind::kStddev: {
        auto c = std::make_shared<ColumnVector>(DataType::float64(), n);
        for (size_t k = 0; k < n; ++k) {
          const int64_t cnt = count[from + k];
          if (cnt < 2) {
            c->setNull(k);
          } else {
            c->values<double>()[k] = std::sqrt(m2[from + k] / static_cast<double>(cnt - 1));
          }
        }
        return c;
      }
      case AggKind::kAvg:
        return averages(from, n);
      default:
        return column(f.result, from, n);
    }
  }

  ColumnPtr averages(size_t from, size_t n) const {
    auto c = std::make_shared<ColumnVector>(f.result, n);
    for (size_t k = 0; k < n; ++k) {
      const size_t g = from + k;
      if (count[g] == 0) {
        c->setNull(k);
      } else if (f.result.id() == TypeId::kDouble) {
        c->values<double>()[k] = real[g] / static_cast<double>(count[g]);
      } else {
        // sum at scale s, the average at scale s' >= s: sum * 10^(s'-s) / count.
        std::optional<Int128> num = rescale(integer[g], f.input.scale(), f.result.scale());
        if (!num || !storeInteger(*c, k, divideRounded(*num, count[g]))) c->setNull(k);
      }
    }
    return c;
  }
};

HashAggregator::HashAggregator(AggregateMode mode, std::vector<ExprPtr> keys,
                               std::vector<DataType> keyTypes,
                               std::vector<AggregateFunction> functions)
    : mode_(mode), keys_(std::move(keys)), keyTypes_(std::move(keyTypes)), index_(keyTypes_) {
  for (AggregateFunction& f : functions) states_.push_back(std::make_unique<State>(std::move(f)));
  for (DataType t : keyTypes_) keyColumns_.push_back(std::make_shared<ColumnVector>(t));
  if (keyTypes_.empty()) {
    groups_ = 1;  // a global aggregation's one group
    for (auto& s : states_) s->grow(1);
  }
}

HashAggregator::~HashAggregator() = default;

void HashAggregator::groupIds(const std::vector<ColumnPtr>& keys, size_t rows,
                              std::vector<uint32_t>& out) {
  out.assign(rows, 0);
  if (keys.empty()) return;
  for (size_t i = 0; i < rows; ++i) {
    if (i + KeyIndex::kPrefetchAhead < rows) index_.prefetch(keys, i + KeyIndex::kPrefetchAhead);
    const uint32_t id = index_.slot(keys, i, static_cast<uint32_t>(groups_));
    if (id == groups_) {  // a new group
      for (size_t c = 0; c < keys.size(); ++c) keyColumns_[c]->appendFrom(*keys[c], i);
      ++groups_;
    }
    out[i] = id;
  }
  for (auto& s : states_) s->grow(groups_);
}

void HashAggregator::add(const Batch& batch) {
  std::vector<ColumnPtr> keys;
  if (mode_ == AggregateMode::kPartial) {
    for (const ExprPtr& k : keys_) keys.push_back(evaluate(*k, batch));
  } else {
    for (size_t c = 0; c < keyTypes_.size(); ++c) keys.push_back(batch.columnPtr(c));
  }
  std::vector<uint32_t> gid;
  groupIds(keys, batch.numRows(), gid);
  size_t column = keyTypes_.size();
  for (auto& s : states_) {
    if (mode_ == AggregateMode::kFinal) {
      s->merge(batch, column, gid);
      column += s->f.stateTypes().size();
    } else if (s->f.kind == AggKind::kCountStar) {
      s->update(nullptr, gid);
    } else {
      const ColumnPtr arg = evaluate(*s->f.arg, batch);
      s->update(arg.get(), gid);
    }
  }
}

std::vector<Batch> HashAggregator::finish() { return output(mode_ == AggregateMode::kPartial); }

std::vector<Batch> HashAggregator::finishStates() { return output(true); }

int64_t HashAggregator::bytes() const {
  int64_t b = 0;
  for (const auto& k : keyColumns_) b += k->bytes();
  for (const auto& s : states_) b += s->bytes();
  // The index: a slot and a key per group, bytes keys in their own strings.
  const bool byValue = keyTypes_.size() == 1 && widthOf(physicalOf(keyTypes_[0])) > 0;
  return b + static_cast<int64_t>(groups_) * (byValue ? 24 : 64);
}

std::vector<Batch> HashAggregator::output(bool states) {
  std::vector<Batch> out;
  for (size_t from = 0; from < groups_; from += kBatchRows) {
    const size_t n = std::min(kBatchRows, groups_ - from);
    std::vector<ColumnPtr> columns;
    for (const auto& k : keyColumns_) {
      auto part = std::make_shared<ColumnVector>(k->type());
      part->appendRange(*k, from, n);
      columns.push_back(std::move(part));
    }
    for (const auto& s : states_) {
      if (states) {
        s->writeStates(columns, from, n);
      } else {
        columns.push_back(s->results(from, n));
      }
    }
    out.emplace_back(n, std::move(columns));
  }
  return out;
}

}  // namespace ember::sql

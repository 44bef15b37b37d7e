#include "sql/execution/detail/window_kernels.hpp"

#include <algorithm>
#include <cmath>
#include <type_traits>

namespace ember::sql {
namespace {

using Bound = WindowFrame;

/// Fills [begin, end) of rows whose group starts where `starts` says, per row.
void fillGroups(const std::vector<bool>& starts, std::vector<uint32_t>& begin,
                std::vector<uint32_t>& end) {
  const auto n = static_cast<uint32_t>(starts.size());
  begin.resize(n);
  end.resize(n);
  uint32_t b = 0;
  for (uint32_t i = 0; i < n; ++i) {
    if (starts[i]) b = i;
    begin[i] = b;
  }
  uint32_t e = n;
  for (uint32_t i = n; i-- > 0;) {
    end[i] = e;
    if (starts[i]) e = i;
  }
}

bool differs(const SortKeys* keys, size_t i) {
  return keys && compareKeys(keys->key(i), keys->key(i - 1)) != 0;
}

uint32_t clampedOffset(uint32_t i, int64_t offset, uint32_t begin, uint32_t end) {
  const int64_t at = static_cast<int64_t>(i) + offset;
  return static_cast<uint32_t>(std::clamp<int64_t>(at, begin, end));
}

/// The first row of [from, to) whose key is not before `target` in the
/// partition's order (ascending: key >= target; descending: key <= target),
/// or past it (`after`: key > target, key < target).
template <class K, class T>
uint32_t searchKey(const K* keys, uint32_t from, uint32_t to, T target, bool ascending,
                   bool after) {
  const K* at = std::partition_point(keys + from, keys + to, [&](K k) {
    const T v = static_cast<T>(k);
    if (ascending) return after ? v <= target : v < target;
    return after ? v >= target : v > target;
  });
  return static_cast<uint32_t>(at - keys);
}

/// The rows of each partition whose key is not null: [nonNullBegin, nonNullEnd).
struct NonNull {
  std::vector<uint32_t> begin, end;
};

NonNull nonNullRows(const WindowLayout& l, const ColumnVector& key) {
  const size_t n = l.partBegin.size();
  NonNull out{std::vector<uint32_t>(n), std::vector<uint32_t>(n)};
  for (size_t p = 0; p < n; p = l.partEnd[p]) {
    uint32_t b = l.partBegin[p], e = l.partEnd[p];
    // Nulls sort together at one end of the partition.
    while (b < e && key.isNull(b)) ++b;
    while (e > b && key.isNull(e - 1)) --e;
    std::fill(out.begin.begin() + p, out.begin.begin() + l.partEnd[p], b);
    std::fill(out.end.begin() + p, out.end.begin() + l.partEnd[p], e);
  }
  return out;
}

/// A value bound of the RANGE frame of every non-null row: the key plus
/// the offset (minus, descending), searched among the partition's non-null keys.
template <class K, class T>
void valueBound(const WindowLayout& l, const ColumnVector& key, int64_t offset, bool ascending,
                bool upper, std::vector<uint32_t>& out) {
  const NonNull nn = nonNullRows(l, key);
  const K* keys = key.values<K>();
  const T shift = ascending ? static_cast<T>(offset) : -static_cast<T>(offset);
  for (size_t i = 0; i < out.size(); ++i) {
    if (key.isNull(i)) continue;  // its peers, the null rows, as Spark compares null + offset
    const T target = static_cast<T>(keys[i]) + shift;
    out[i] = searchKey(keys, nn.begin[i], nn.end[i], target, ascending, upper);
  }
}

void rangeBound(const WindowLayout& l, int64_t bound, bool upper, const ColumnVector* key,
                bool ascending, std::vector<uint32_t>& out) {
  if (bound == Bound::kUnboundedPreceding) {
    out = l.partBegin;
  } else if (bound == Bound::kUnboundedFollowing) {
    out = l.partEnd;
  } else {
    out = upper ? l.peerEnd : l.peerBegin;
    if (bound == Bound::kCurrentRow) return;
    switch (key->physical()) {
      case Physical::kInt32:
        return valueBound<int32_t, Int128>(l, *key, bound, ascending, upper, out);
      case Physical::kInt64:
        return valueBound<int64_t, Int128>(l, *key, bound, ascending, upper, out);
      default:
        return valueBound<double, double>(l, *key, bound, ascending, upper, out);
    }
  }
}

}  // namespace

WindowLayout layoutOf(const SortKeys* partition, const SortKeys* order, size_t rows) {
  std::vector<bool> partStarts(rows), peerStarts(rows);
  for (size_t i = 0; i < rows; ++i) {
    partStarts[i] = i == 0 || differs(partition, i);
    peerStarts[i] = partStarts[i] || differs(order, i);
  }
  WindowLayout l;
  fillGroups(partStarts, l.partBegin, l.partEnd);
  fillGroups(peerStarts, l.peerBegin, l.peerEnd);
  return l;
}

FrameBounds rowFrame(const WindowLayout& l, const WindowFrame& f) {
  const size_t n = l.partBegin.size();
  FrameBounds b{std::vector<uint32_t>(n), std::vector<uint32_t>(n)};
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t pb = l.partBegin[i], pe = l.partEnd[i];
    b.lo[i] = f.lower == Bound::kUnboundedPreceding ? pb : clampedOffset(i, f.lower, pb, pe);
    b.hi[i] = f.upper == Bound::kUnboundedFollowing ? pe : clampedOffset(i, f.upper + 1, pb, pe);
  }
  return b;
}

FrameBounds rangeFrame(const WindowLayout& l, const WindowFrame& f, const ColumnVector* key,
                       bool ascending) {
  FrameBounds b;
  rangeBound(l, f.lower, false, key, ascending, b.lo);
  rangeBound(l, f.upper, true, key, ascending, b.hi);
  return b;
}

std::shared_ptr<ColumnVector> rankColumn(const WindowLayout& l, RankKind kind, int64_t buckets) {
  const size_t n = l.partBegin.size();
  auto out = std::make_shared<ColumnVector>(DataType::integer(), n);
  int32_t* v = out->values<int32_t>();
  int32_t dense = 0;
  for (size_t i = 0; i < n; ++i) {
    const uint32_t pb = l.partBegin[i];
    const auto r = static_cast<int64_t>(i - pb);  // 0-based row number
    switch (kind) {
      case RankKind::kRowNumber:
        v[i] = static_cast<int32_t>(r + 1);
        break;
      case RankKind::kRank:
        v[i] = static_cast<int32_t>(l.peerBegin[i] - pb + 1);
        break;
      case RankKind::kDenseRank:
        if (i == pb) dense = 0;
        if (l.peerBegin[i] == i) ++dense;
        v[i] = dense;
        break;
      case RankKind::kNtile: {
        // Spark's NTile: the first `extra` buckets hold one row more.
        const int64_t rows = l.partEnd[i] - pb;
        const int64_t size = rows / buckets, extra = rows % buckets;
        const int64_t big = extra * (size + 1);
        v[i] = static_cast<int32_t>(r < big ? r / (size + 1) + 1 : extra + (r - big) / size + 1);
        break;
      }
    }
  }
  return out;
}

std::shared_ptr<ColumnVector> distributionColumn(const WindowLayout& l, bool cume) {
  const size_t n = l.partBegin.size();
  auto out = std::make_shared<ColumnVector>(DataType::float64(), n);
  double* v = out->values<double>();
  for (size_t i = 0; i < n; ++i) {
    const uint32_t pb = l.partBegin[i];
    const double rows = l.partEnd[i] - pb;
    if (cume) {
      v[i] = (l.peerEnd[i] - pb) / rows;
    } else {
      v[i] = rows <= 1 ? 0.0 : (l.peerBegin[i] - pb) / (rows - 1);
    }
  }
  return out;
}

ColumnPtr pickRows(const ColumnVector& src, const std::vector<int64_t>& idx,
                   const ColumnVector* fallback) {
  if (std::all_of(idx.begin(), idx.end(), [](int64_t i) { return i >= 0; })) {
    std::vector<uint32_t> rows(idx.begin(), idx.end());
    return src.gather(rows.data(), rows.size());
  }
  auto out = std::make_shared<ColumnVector>(src.type());
  for (size_t i = 0; i < idx.size(); ++i) {
    if (idx[i] >= 0) {
      out->appendFrom(src, static_cast<size_t>(idx[i]));
    } else if (fallback) {
      out->appendFrom(*fallback, i);
    } else {
      out->appendNull();
    }
  }
  return out;
}

std::vector<int64_t> offsetRows(const WindowLayout& l, int64_t offset) {
  std::vector<int64_t> idx(l.partBegin.size());
  for (size_t i = 0; i < idx.size(); ++i) {
    const int64_t at = static_cast<int64_t>(i) - offset;
    idx[i] = at >= l.partBegin[i] && at < l.partEnd[i] ? at : -1;
  }
  return idx;
}

std::vector<int64_t> frameRows(const FrameBounds& f, int64_t n) {
  std::vector<int64_t> idx(f.lo.size());
  for (size_t i = 0; i < idx.size(); ++i) {
    const int64_t lo = f.lo[i], hi = f.hi[i];
    const int64_t at = n == 0 ? hi - 1 : lo + n - 1;
    idx[i] = lo < hi && at < hi ? at : -1;
  }
  return idx;
}

namespace {

/// Folds each row's frame into `acc` (reset(), add(row), emit(row)):
/// running forward when frames start at the partition's start, backward
/// when they end at its end (both bounds only ever move forward), else
/// each frame anew, as Spark's sliding frame.
template <class Acc>
void foldFrames(const WindowLayout& l, const FrameBounds& f, const WindowFrame& frame, Acc& acc) {
  const auto n = static_cast<uint32_t>(l.partBegin.size());
  for (uint32_t pb = 0; pb < n; pb = l.partEnd[pb]) {
    const uint32_t pe = l.partEnd[pb];
    if (frame.lower == Bound::kUnboundedPreceding) {
      acc.reset();
      uint32_t j = pb;
      for (uint32_t i = pb; i < pe; ++i) {
        for (; j < f.hi[i]; ++j) acc.add(j);
        acc.emit(i);
      }
    } else if (frame.upper == Bound::kUnboundedFollowing) {
      acc.reset();
      uint32_t j = pe;
      for (uint32_t i = pe; i-- > pb;) {
        for (; j > f.lo[i]; --j) acc.add(j - 1);
        acc.emit(i);
      }
    } else {
      for (uint32_t i = pb; i < pe; ++i) {
        acc.reset();
        for (uint32_t j = f.lo[i]; j < f.hi[i]; ++j) acc.add(j);
        acc.emit(i);
      }
    }
  }
}

struct CountAcc {
  const ColumnVector* in;  // nullptr: count(*)
  int64_t* out;
  int64_t count = 0;
  void reset() { count = 0; }
  void add(uint32_t j) { count += in == nullptr || !in->isNull(j); }
  void emit(uint32_t i) { out[i] = count; }
};

/// sum (S: int64_t, wrapping as Java's, or double) and avg (`average`).
template <class T, class S>
struct SumAcc {
  const ColumnVector& in;
  ColumnVector& out;
  bool average;
  S sum{};
  int64_t count = 0;
  void reset() {
    sum = S{};
    count = 0;
  }
  void add(uint32_t j) {
    if (in.isNull(j)) return;
    const T v = in.values<T>()[j];
    if constexpr (std::is_integral_v<S>) {
      sum = static_cast<S>(static_cast<uint64_t>(sum) + static_cast<uint64_t>(v));
    } else {
      sum += static_cast<S>(v);
    }
    ++count;
  }
  void emit(uint32_t i) {
    if (count == 0) return out.setNull(i);
    if (average) {
      out.values<double>()[i] = static_cast<double>(sum) / static_cast<double>(count);
    } else {
      out.values<S>()[i] = sum;
    }
  }
};

/// min (`max` false) or max: the frame's best row, by `less`.
template <class Less>
struct BestAcc {
  const ColumnVector& in;
  Less less;
  bool max;
  std::vector<int64_t>& out;
  int64_t best = -1;
  void reset() { best = -1; }
  void add(uint32_t j) {
    if (in.isNull(j)) return;
    if (best < 0 || (max ? less(best, j) : less(j, best))) best = j;
  }
  void emit(uint32_t i) { out[i] = best; }
};

/// Spark's order of doubles: NaN above every other value.
bool doubleLess(double a, double b) { return !std::isnan(a) && (std::isnan(b) || a < b); }

template <class Acc>
ColumnPtr folded(const WindowLayout& l, const FrameBounds& f, const WindowFrame& frame, Acc acc,
                 std::shared_ptr<ColumnVector> out) {
  foldFrames(l, f, frame, acc);
  out->compactValidity();
  return out;
}

ColumnPtr bestColumn(const WindowLayout& l, const FrameBounds& f, const WindowFrame& frame,
                     const ColumnVector& in, bool max) {
  std::vector<int64_t> idx(l.partBegin.size(), -1);
  if (in.physical() == Physical::kString) {
    auto less = [&in](int64_t a, int64_t b) {
      return in.stringAt(static_cast<size_t>(a)) < in.stringAt(static_cast<size_t>(b));
    };
    BestAcc<decltype(less)> acc{in, less, max, idx, -1};
    foldFrames(l, f, frame, acc);
  } else {
    dispatchFixed(in.physical(), [&](auto zero) {
      using T = decltype(zero);
      const T* v = in.values<T>();
      auto less = [v](int64_t a, int64_t b) {
        if constexpr (std::is_same_v<T, double>) {
          return doubleLess(v[a], v[b]);
        } else {
          return v[a] < v[b];
        }
      };
      BestAcc<decltype(less)> acc{in, less, max, idx, -1};
      foldFrames(l, f, frame, acc);
    });
  }
  return pickRows(in, idx, nullptr);
}

template <class T>
ColumnPtr sumColumn(const WindowLayout& l, const FrameBounds& f, const WindowFrame& frame,
                    const ColumnVector& in, bool average, DataType result) {
  auto out = std::make_shared<ColumnVector>(result, l.partBegin.size());
  if (result.id() == TypeId::kBigInt) {
    return folded(l, f, frame, SumAcc<T, int64_t>{in, *out, average, 0, 0}, out);
  }
  return folded(l, f, frame, SumAcc<T, double>{in, *out, average, 0.0, 0}, out);
}

}  // namespace

ColumnPtr foldColumn(const WindowLayout& l, const FrameBounds& f, const WindowFrame& frame,
                     FoldKind kind, const ColumnVector* in, DataType result) {
  const size_t n = l.partBegin.size();
  switch (kind) {
    case FoldKind::kCount:
    case FoldKind::kCountStar: {
      auto out = std::make_shared<ColumnVector>(DataType::bigint(), n);
      return folded(l, f, frame, CountAcc{in, out->values<int64_t>(), 0}, out);
    }
    case FoldKind::kMin:
    case FoldKind::kMax:
      return bestColumn(l, f, frame, *in, kind == FoldKind::kMax);
    case FoldKind::kSum:
    case FoldKind::kAvg:
      break;
  }
  const bool average = kind == FoldKind::kAvg;
  switch (in->physical()) {
    case Physical::kInt32:
      return sumColumn<int32_t>(l, f, frame, *in, average, result);
    case Physical::kInt64:
      return sumColumn<int64_t>(l, f, frame, *in, average, result);
    default:
      return sumColumn<double>(l, f, frame, *in, average, result);
  }
}

}  // namespace ember::sql

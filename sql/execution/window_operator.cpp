#include "sql/execution/window_operator.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <type_traits>

#include "sql/execution/aggregate_function.hpp"
#include "sql/execution/detail/window_kernels.hpp"
#include "sql/execution/row_gather.hpp"
#include "sql/execution/sort_keys.hpp"
#include "sql/expression/evaluator.hpp"
#include "sql/plan/window.hpp"

namespace ember::sql {

enum class CallKind : uint8_t { kRank, kDistribution, kOffset, kFrameRow, kFold };

struct WindowCall {
  CallKind op = CallKind::kFold;
  RankKind rank = RankKind::kRowNumber;
  FoldKind fold = FoldKind::kCount;
  bool cume = false;  ///< kDistribution: cume_dist, else percent_rank
  int64_t param = 0;  ///< ntile's buckets, lag's offset, the frame row's n
  ExprPtr arg;        ///< the argument, when there is one
  ExprPtr fallback;   ///< lag and lead's default
  WindowFrame frame;
  DataType type;
  ExprPtr rangeKey;  ///< the order key, for a RANGE frame's value bounds
  bool ascending = true;
};

/// A running avg's sum and count, which it carries between segments.
struct Average {
  double sum = 0;
  int64_t count = 0;
};

namespace {

int64_t literalInt(const Expr& e) {
  return static_cast<int64_t>(integerAt(*evaluate(e, Batch(1, {})), 0));
}

WindowCall rankingCall(const Expr& fn) {
  WindowCall c;
  const std::string& n = fn.name;
  if (n == "percent_rank" || n == "cume_dist") {
    c.op = CallKind::kDistribution;
    c.cume = n == "cume_dist";
  } else if (n == "lag" || n == "lead") {
    c.op = CallKind::kOffset;
    c.arg = fn.children[0];
    c.param = literalInt(*fn.children[1]) * (n == "lag" ? 1 : -1);
    c.fallback = fn.children[2];
  } else if (n == "nth_value") {
    c.op = CallKind::kFrameRow;
    c.arg = fn.children[0];
    c.param = literalInt(*fn.children[1]);
  } else {
    c.op = CallKind::kRank;
    c.rank = n == "row_number"   ? RankKind::kRowNumber
             : n == "rank"       ? RankKind::kRank
             : n == "dense_rank" ? RankKind::kDenseRank
                                 : RankKind::kNtile;
    if (c.rank == RankKind::kNtile) c.param = literalInt(*fn.children[0]);
  }
  return c;
}

WindowCall aggregateCall(const Expr& fn) {
  WindowCall c;
  const std::string& n = fn.name;
  if (n == "first" || n == "first_value" || n == "last" || n == "last_value") {
    c.op = CallKind::kFrameRow;
    c.arg = fn.children[0];
    c.param = n == "first" || n == "first_value" ? 1 : 0;
    return c;
  }
  const AggregateFunction f = aggregateFunctionOf(fn);
  c.arg = f.arg;
  switch (f.kind) {
    case AggKind::kCountStar:
      c.fold = FoldKind::kCountStar;
      break;
    case AggKind::kCount:
      c.fold = FoldKind::kCount;
      break;
    case AggKind::kSum:
      c.fold = FoldKind::kSum;
      break;
    case AggKind::kAvg:
      c.fold = FoldKind::kAvg;
      break;
    case AggKind::kMin:
      c.fold = FoldKind::kMin;
      break;
    case AggKind::kMax:
      c.fold = FoldKind::kMax;
      break;
    default:
      throw std::logic_error("ember: an aggregate the analyzer keeps out of windows: " +
                             fn.toString());
  }
  return c;
}

WindowCall callOf(const Expr& aliased) {
  const Expr& w = windowOf(aliased);
  const Expr& fn = *w.children[0];
  WindowCall c = fn.kind == ExprKind::kAggregate ? aggregateCall(fn) : rankingCall(fn);
  c.frame = w.window->frame;
  c.type = w.type;
  const size_t orders = w.children.size() - 1 - w.window->partitionCount;
  if (orders > 0) {
    const Expr& first = *w.children[1 + w.window->partitionCount];
    c.rangeKey = first.children[0];
    c.ascending = first.ascending;
  }
  return c;
}

FrameBounds boundsOf(const WindowCall& c, const Batch& chunk, const WindowLayout& l) {
  const bool range = c.frame.type == WindowFrame::Type::kRange;
  const ColumnPtr key = range && c.rangeKey ? evaluate(*c.rangeKey, chunk) : nullptr;
  return range ? rangeFrame(l, c.frame, key.get(), c.ascending) : rowFrame(l, c.frame);
}

ColumnPtr computeCall(const WindowCall& c, const Batch& chunk, const WindowLayout& l) {
  const ColumnPtr arg = c.arg ? evaluate(*c.arg, chunk) : nullptr;
  switch (c.op) {
    case CallKind::kRank:
      return rankColumn(l, c.rank, c.param);
    case CallKind::kDistribution:
      return distributionColumn(l, c.cume);
    case CallKind::kOffset: {
      const ColumnPtr fallback = evaluate(*c.fallback, chunk);
      return pickRows(*arg, offsetRows(l, c.param), fallback.get());
    }
    default:
      break;
  }
  const FrameBounds f = boundsOf(c, chunk, l);
  if (c.op == CallKind::kFrameRow) return pickRows(*arg, frameRows(f, c.param), nullptr);
  return foldColumn(l, f, c.frame, c.fold, arg.get(), c.type);
}

/// Whether a call's result at a row depends only on the rows up to its
/// peers' end, and the previous rows' only through the last one's result:
/// what a streamed partition can carry from one segment to the next.
bool runsForward(const WindowCall& c) {
  const bool running = c.frame.lower == WindowFrame::kUnboundedPreceding &&
                       c.frame.upper == WindowFrame::kCurrentRow;
  switch (c.op) {
    case CallKind::kRank:
      return c.rank != RankKind::kNtile;
    case CallKind::kFrameRow:
      return running && c.param == 1;
    case CallKind::kFold:
      return running;
    default:
      return false;
  }
}

/// How far before and after the current row a call reads, when both are
/// bounded (lag, lead, ROWS frames of two offsets); nullopt otherwise.
/// Such a call streams by computing over that many rows around a segment.
struct Reach {
  size_t back = 0, ahead = 0;
};

std::optional<Reach> reachOf(const WindowCall& c) {
  auto reach = [](int64_t lower, int64_t upper) {
    return Reach{static_cast<size_t>(lower < 0 ? -lower : 0),
                 static_cast<size_t>(upper > 0 ? upper : 0)};
  };
  if (c.op == CallKind::kOffset) return reach(-c.param, -c.param);  // lag's param is its offset
  if (c.op != CallKind::kFold && c.op != CallKind::kFrameRow) return std::nullopt;
  const WindowFrame& f = c.frame;
  if (f.type != WindowFrame::Type::kRows || f.lower == WindowFrame::kUnboundedPreceding ||
      f.upper == WindowFrame::kUnboundedFollowing)
    return std::nullopt;
  return reach(f.lower, f.upper);
}

/// Row 0 of `c`, `n` times.
ColumnPtr replicated(const ColumnVector& c, size_t n) {
  const std::vector<uint32_t> zeros(n, 0);
  return c.gather(zeros.data(), n);
}

/// `c` with `add` added to its first `n0` values (ranks, counts).
template <class T>
ColumnPtr shifted(const ColumnVector& c, int64_t add, size_t n0) {
  std::vector<uint32_t> all(c.size());
  std::iota(all.begin(), all.end(), 0);
  auto out = c.gather(all.data(), all.size());
  T* v = out->values<T>();
  for (size_t i = 0; i < n0; ++i) v[i] = static_cast<T>(v[i] + add);
  return out;
}

/// Spark's order of values of a type: doubles with NaN above all.
template <class T>
bool valueLess(T a, T b) {
  if constexpr (std::is_same_v<T, double>) {
    return !std::isnan(a) && (std::isnan(b) || a < b);
  } else {
    return a < b;
  }
}

/// a + b, wrapping for integers as Java's (and the sums' kernels) do.
template <class T>
T wrappingAdd(T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    return static_cast<T>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
  } else {
    return a + b;
  }
}

/// A running sum past streamed rows: theirs (`last`) plus the row's.
ColumnPtr sumWithCarry(const ColumnPtr& col, const ColumnVector& last, size_t n0) {
  auto out = std::make_shared<ColumnVector>(col->type(), col->size());
  dispatchFixed(col->physical(), [&](auto zero) {
    using T = decltype(zero);
    const T carried = last.values<T>()[0];
    for (size_t i = 0; i < col->size(); ++i) {
      const bool null = col->isNull(i);
      if (i >= n0 && null) out->setNull(i);
      const T v = null ? T{} : col->values<T>()[i];
      out->values<T>()[i] = i >= n0 ? v : (null ? carried : wrappingAdd(v, carried));
    }
  });
  return out;
}

/// A running min or max past streamed rows: theirs (`last`) where it wins.
ColumnPtr bestWithCarry(const ColumnPtr& col, const ColumnVector& last, size_t n0, bool max) {
  std::vector<int64_t> idx(col->size());
  std::iota(idx.begin(), idx.end(), 0);
  auto prefer = [&](auto carriedWins) {
    for (size_t i = 0; i < n0; ++i)
      if (col->isNull(i) || carriedWins(i)) idx[i] = -1;
  };
  if (col->physical() == Physical::kString) {
    const std::string_view c = last.stringAt(0);
    prefer([&](size_t i) { return max ? c > col->stringAt(i) : c < col->stringAt(i); });
  } else {
    dispatchFixed(col->physical(), [&](auto zero) {
      using T = decltype(zero);
      const T c = last.values<T>()[0];
      const T* v = col->values<T>();
      prefer([&](size_t i) { return max ? valueLess(v[i], c) : valueLess(c, v[i]); });
    });
  }
  return pickRows(*col, idx, replicated(last, col->size()).get());
}

/// A forward call's results over the first `n0` rows, the rest of a
/// partition whose first `rows` rows were streamed, `last` the result at
/// the last of those.
ColumnPtr withCarry(const WindowCall& c, const ColumnPtr& col, const ColumnPtr& last, int64_t rows,
                    size_t n0) {
  if (c.op == CallKind::kRank) {
    const bool dense = c.rank == RankKind::kDenseRank;
    return shifted<int32_t>(*col, dense ? last->values<int32_t>()[0] : rows, n0);
  }
  if (c.op == CallKind::kFrameRow) {  // first: the partition's first value, null or not
    std::vector<int64_t> idx(col->size());
    std::iota(idx.begin(), idx.end(), 0);
    std::fill(idx.begin(), idx.begin() + static_cast<std::ptrdiff_t>(n0), -1);
    return pickRows(*col, idx, replicated(*last, col->size()).get());
  }
  if (c.fold == FoldKind::kCount || c.fold == FoldKind::kCountStar)
    return shifted<int64_t>(*col, last->values<int64_t>()[0], n0);
  if (last->isNull(0)) return col;  // no value yet: the rows' own results
  if (c.fold == FoldKind::kSum) return sumWithCarry(col, *last, n0);
  return bestWithCarry(col, *last, n0, c.fold == FoldKind::kMax);
}

/// avg over a streamed partition's rows: their frames' sums and counts,
/// plus those of the streamed rows (`prior`) over the first `n0` rows; and
/// the totals at the last row, which the next segment adds.
ColumnPtr averageWithCarry(const WindowCall& c, const Batch& chunk, const WindowLayout& l,
                           Average& prior, size_t n0) {
  const FrameBounds f = boundsOf(c, chunk, l);
  const ColumnPtr arg = evaluate(*c.arg, chunk);
  const ColumnPtr sums = foldColumn(l, f, c.frame, FoldKind::kSum, arg.get(), DataType::float64());
  const ColumnPtr counts =
      foldColumn(l, f, c.frame, FoldKind::kCount, arg.get(), DataType::bigint());
  const size_t n = chunk.numRows();
  auto out = std::make_shared<ColumnVector>(DataType::float64(), n);
  Average last;
  for (size_t i = 0; i < n; ++i) {
    Average a{sums->isNull(i) ? 0.0 : sums->values<double>()[i], counts->values<int64_t>()[i]};
    if (i < n0) a = {a.sum + prior.sum, a.count + prior.count};
    if (a.count == 0) out->setNull(i);
    out->values<double>()[i] = a.count == 0 ? 0.0 : a.sum / static_cast<double>(a.count);
    last = a;
  }
  prior = last;
  out->compactValidity();
  return out;
}

/// The rows [from, to) of the batches, one after the other, gathered into
/// one batch (empty ones, which may have no columns, left out).
Batch heldRows(const std::vector<Batch>& batches, size_t from, size_t to) {
  std::vector<Batch> held;
  for (const Batch& b : batches)
    if (b.numRows() > 0) held.push_back(b);
  std::vector<RowRef> refs;
  refs.reserve(to - from);
  size_t start = 0;
  for (uint32_t b = 0; b < held.size(); ++b) {
    const size_t n = held[b].numRows();
    for (size_t r = std::max(from, start); r < std::min(to, start + n); ++r)
      refs.push_back({b, static_cast<uint32_t>(r - start)});
    start += n;
  }
  return gatherRows(held, refs.data(), refs.size());
}

}  // namespace

WindowOperator::WindowOperator(const LogicalPlan& window, const detail::Runtime& rt)
    : orders_(windowOrders(window)), reservation_(*rt.memory) {
  for (const ExprPtr& k : windowPartitionKeys(window))
    partitionOrders_.push_back(makeSortOrder(k, true, true));
  for (const ExprPtr& e : window.exprs) calls_.push_back(callOf(*e));
  averages_.resize(calls_.size());
  streamable_ = std::all_of(calls_.begin(), calls_.end(), [](const WindowCall& c) {
    return runsForward(c) || reachOf(c).has_value();
  });
  for (const WindowCall& c : calls_) {
    const Reach r = reachOf(c).value_or(Reach{});
    contextRows_ = std::max(contextRows_, r.back);
    aheadRows_ = std::max(aheadRows_, r.ahead);
  }
}

WindowOperator::~WindowOperator() = default;

void WindowOperator::add(const Batch& b, const std::function<void(Batch&&)>& out) {
  if (b.numRows() == 0) return;
  markStarts(b);
  held_.push_back(b);
  heldRows_ += b.numRows();
  heldBytes_ += b.bytes();
  // The budget knows what is held; the sort before spills.
  reservation_.ensure(heldBytes_);
  const bool streams = streamable_ && heldRows_ >= kStreamRows;
  if (openStart_ >= kBatchRows || (streams && openStart_ > 0)) cut(openStart_, false, out);
  // A long partition whose functions all stream goes a segment at a time,
  // each ending where its last peer group (maybe unfinished) starts, and
  // before the rows the calls reading ahead need.
  if (!streams || openStart_ > 0 || heldRows_ <= aheadRows_) return;
  const size_t end = std::min(openPeerStart_, heldRows_ - aheadRows_);
  if (end > 0) cut(end, true, out);
}

void WindowOperator::markStarts(const Batch& b) {
  SortKeys keys, peers;
  if (!partitionOrders_.empty()) keys.encode(partitionOrders_, b);
  const bool trackPeers = streamable_ && !orders_.empty();
  if (trackPeers) peers.encode(orders_, b);
  for (size_t i = 0; i < b.numRows(); ++i) {
    const size_t at = heldRows_ + i;
    const bool newPartition =
        !partitionOrders_.empty() && (at == 0 || compareKeys(keys.key(i), lastKey_) != 0);
    if (newPartition) {
      openStart_ = at;
      lastKey_.assign(keys.key(i));
    }
    if (trackPeers && (newPartition || at == 0 || compareKeys(peers.key(i), lastOrderKey_) != 0)) {
      openPeerStart_ = at;
      lastOrderKey_.assign(peers.key(i));
    }
  }
}

void WindowOperator::finish(const std::function<void(Batch&&)>& out) {
  if (heldRows_ > 0) cut(heldRows_, false, out);
  reservation_.release();
}

void WindowOperator::cut(size_t rows, bool segment, const std::function<void(Batch&&)>& out) {
  const Batch chunk = held_.size() == 1 && rows == heldRows_ ? held_[0] : heldRows(held_, 0, rows);
  const Batch ahead =
      segment && aheadRows_ > 0 ? heldRows(held_, rows, rows + aheadRows_) : Batch();
  Batch rest = rows < heldRows_ ? heldRows(held_, rows, heldRows_) : Batch();
  held_.clear();
  heldRows_ -= rows;
  openStart_ -= std::min(openStart_, rows);
  openPeerStart_ -= std::min(openPeerStart_, rows);
  heldBytes_ = 0;
  if (heldRows_ > 0) {
    heldBytes_ = rest.bytes();
    held_.push_back(std::move(rest));
  }
  Batch computed = compute(chunk, ahead, segment);
  if (computed.numRows() <= 2 * kBatchRows) return out(std::move(computed));
  // A large window partition leaves in batches of the usual size.
  std::vector<uint32_t> rowsOf(kBatchRows);
  for (size_t at = 0; at < computed.numRows(); at += kBatchRows) {
    const size_t n = std::min(kBatchRows, computed.numRows() - at);
    for (size_t i = 0; i < n; ++i) rowsOf[i] = static_cast<uint32_t>(at + i);
    out(computed.gather(rowsOf.data(), n));
  }
}

WindowLayout WindowOperator::layout(const Batch& rows) const {
  SortKeys partition, order;
  if (!partitionOrders_.empty()) partition.encode(partitionOrders_, rows);
  if (!orders_.empty()) order.encode(orders_, rows);
  return layoutOf(partitionOrders_.empty() ? nullptr : &partition,
                  orders_.empty() ? nullptr : &order, rows.numRows());
}

ColumnPtr WindowOperator::carriedCall(size_t k, const Batch& chunk, const WindowLayout& l,
                                      bool carrying) {
  const WindowCall& call = calls_[k];
  const size_t n0 = carrying ? l.partEnd[0] : 0;  // the rows continuing the streamed ones
  if (call.op == CallKind::kFold && call.fold == FoldKind::kAvg) {
    // A running avg carries its sum and count, not its result.
    if (!carrying) averages_[k] = Average{};
    return averageWithCarry(call, chunk, l, averages_[k], n0);
  }
  const ColumnPtr c = computeCall(call, chunk, l);
  return carrying ? withCarry(call, c, carried_[k], carriedRows_, n0) : c;
}

Batch WindowOperator::compute(const Batch& chunk, const Batch& ahead, bool segment) {
  const size_t n = chunk.numRows();
  // The chunk's first partition continues the streamed rows, if any: calls
  // that run forward carry their last results, calls of bounded reach read
  // the streamed rows before the chunk and, in a segment, the held rows after.
  const bool carrying = carriedRows_ > 0;
  const size_t skip = carrying ? context_.numRows() : 0;
  const bool around = skip > 0 || ahead.numRows() > 0;
  const Batch extended =
      around ? heldRows({context_, chunk, ahead}, 0, skip + n + ahead.numRows()) : chunk;
  const WindowLayout l = layout(chunk);
  const WindowLayout lx = around ? layout(extended) : WindowLayout();
  std::vector<uint32_t> own(n);
  std::iota(own.begin(), own.end(), static_cast<uint32_t>(skip));
  std::vector<ColumnPtr> columns = chunk.columns();
  for (size_t k = 0; k < calls_.size(); ++k) {
    const WindowCall& call = calls_[k];
    const bool bounded = reachOf(call).has_value();
    if (bounded && around) {
      columns.push_back(computeCall(call, extended, lx)->gather(own.data(), n));
    } else if (bounded || (!carrying && !segment)) {
      columns.push_back(computeCall(call, chunk, l));
    } else {
      columns.push_back(carriedCall(k, chunk, l, carrying));
    }
  }
  carried_.clear();
  context_ = Batch();
  carriedRows_ = segment ? carriedRows_ + static_cast<int64_t>(n) : 0;
  if (segment) {
    const auto lastRow = static_cast<uint32_t>(n - 1);
    for (size_t k = 0; k < calls_.size(); ++k)
      carried_.push_back(columns[chunk.numColumns() + k]->gather(&lastRow, 1));
    // The context ends with the chunk, not with the rows read ahead.
    const size_t keep = std::min(contextRows_, skip + n);
    if (keep > 0) context_ = heldRows({extended}, skip + n - keep, skip + n);
  }
  return Batch(n, std::move(columns));
}

}  // namespace ember::sql

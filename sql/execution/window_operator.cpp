#include "sql/execution/window_operator.hpp"

#include <stdexcept>

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
  const bool range = c.frame.type == WindowFrame::Type::kRange;
  const ColumnPtr key = range && c.rangeKey ? evaluate(*c.rangeKey, chunk) : nullptr;
  const FrameBounds f =
      range ? rangeFrame(l, c.frame, key.get(), c.ascending) : rowFrame(l, c.frame);
  if (c.op == CallKind::kFrameRow) return pickRows(*arg, frameRows(f, c.param), nullptr);
  return foldColumn(l, f, c.frame, c.fold, arg.get(), c.type);
}

/// The rows [from, to) of the held batches, gathered into one batch.
Batch heldRows(const std::vector<Batch>& held, size_t from, size_t to) {
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
}

WindowOperator::~WindowOperator() = default;

void WindowOperator::add(const Batch& b, const std::function<void(Batch&&)>& out) {
  if (b.numRows() == 0) return;
  if (!partitionOrders_.empty()) {
    SortKeys keys;
    keys.encode(partitionOrders_, b);
    for (size_t i = 0; i < b.numRows(); ++i) {
      if (heldRows_ + i > 0 && compareKeys(keys.key(i), lastKey_) == 0) continue;
      openStart_ = heldRows_ + i;
      lastKey_.assign(keys.key(i));
    }
  }
  held_.push_back(b);
  heldRows_ += b.numRows();
  heldBytes_ += b.bytes();
  // A window partition is held whole; the budget knows, the sort spills.
  reservation_.ensure(heldBytes_);
  if (openStart_ >= kBatchRows) cut(openStart_, out);
}

void WindowOperator::finish(const std::function<void(Batch&&)>& out) {
  if (heldRows_ > 0) cut(heldRows_, out);
  reservation_.release();
}

void WindowOperator::cut(size_t rows, const std::function<void(Batch&&)>& out) {
  const Batch chunk = held_.size() == 1 && rows == heldRows_ ? held_[0] : heldRows(held_, 0, rows);
  Batch rest = rows < heldRows_ ? heldRows(held_, rows, heldRows_) : Batch();
  held_.clear();
  heldRows_ -= rows;
  openStart_ -= rows;
  heldBytes_ = 0;
  if (heldRows_ > 0) {
    heldBytes_ = rest.bytes();
    held_.push_back(std::move(rest));
  }
  Batch computed = compute(chunk);
  if (computed.numRows() <= 2 * kBatchRows) return out(std::move(computed));
  // A large window partition leaves in batches of the usual size.
  std::vector<uint32_t> rowsOf(kBatchRows);
  for (size_t at = 0; at < computed.numRows(); at += kBatchRows) {
    const size_t n = std::min(kBatchRows, computed.numRows() - at);
    for (size_t i = 0; i < n; ++i) rowsOf[i] = static_cast<uint32_t>(at + i);
    out(computed.gather(rowsOf.data(), n));
  }
}

Batch WindowOperator::compute(const Batch& chunk) const {
  const size_t n = chunk.numRows();
  SortKeys partition, order;
  if (!partitionOrders_.empty()) partition.encode(partitionOrders_, chunk);
  if (!orders_.empty()) order.encode(orders_, chunk);
  const WindowLayout l = layoutOf(partitionOrders_.empty() ? nullptr : &partition,
                                  orders_.empty() ? nullptr : &order, n);
  std::vector<ColumnPtr> columns = chunk.columns();
  for (const WindowCall& c : calls_) columns.push_back(computeCall(c, chunk, l));
  return Batch(n, std::move(columns));
}

}  // namespace ember::sql

#include "sql/expression/evaluator.hpp"

#include <cmath>
#include <type_traits>

#include "sql/expression/cast.hpp"
#include "sql/expression/decimal.hpp"
#include "sql/expression/function_registry.hpp"

namespace ember::sql {
namespace {

using MutableColumn = std::shared_ptr<ColumnVector>;

/// out's validity = a's AND b's.
void combineValidity(const ColumnVector& a, const ColumnVector& b, ColumnVector& out) {
  if (!a.mayHaveNulls() && !b.mayHaveNulls()) return;
  uint64_t* o = out.mutableValidity();
  const size_t words = (out.size() + 63) / 64;
  const uint64_t* va = a.validity();
  const uint64_t* vb = b.validity();
  for (size_t w = 0; w < words; ++w)
    o[w] = (va ? va[w] : ~uint64_t{0}) & (vb ? vb[w] : ~uint64_t{0});
}

void copyValidity(const ColumnVector& in, ColumnVector& out) {
  if (!in.mayHaveNulls()) return;
  uint64_t* o = out.mutableValidity();
  const size_t words = (out.size() + 63) / 64;
  for (size_t w = 0; w < words; ++w) o[w] = in.validity()[w];
}

/// Integer arithmetic wraps on overflow, as Java's (and Spark's non-ANSI).
template <class P>
P wrapping(Op op, P x, P y) {
  using U = std::make_unsigned_t<P>;
  switch (op) {
    case Op::kAdd:
      return static_cast<P>(static_cast<U>(x) + static_cast<U>(y));
    case Op::kSub:
      return static_cast<P>(static_cast<U>(x) - static_cast<U>(y));
    default:
      return static_cast<P>(static_cast<U>(x) * static_cast<U>(y));
  }
}

template <class P, class F>
void loop2(const ColumnVector& a, const ColumnVector& b, ColumnVector& out, F f) {
  const P* x = a.values<P>();
  const P* y = b.values<P>();
  using R = std::invoke_result_t<F, P, P>;
  R* o = out.values<R>();
  const size_t n = out.size();
  for (size_t i = 0; i < n; ++i) o[i] = f(x[i], y[i]);
}

/// Rows whose divisor is zero become null (Spark's non-ANSI x / 0, x % 0).
template <class P>
void nullWhereZero(const ColumnVector& divisor, ColumnVector& out) {
  const P* y = divisor.values<P>();
  for (size_t i = 0; i < out.size(); ++i)
    if (y[i] == 0) out.setNull(i);
}

template <class P>
void arithmeticLoop(Op op, const ColumnVector& a, const ColumnVector& b, ColumnVector& out) {
  if constexpr (std::is_floating_point_v<P>) {
    switch (op) {
      case Op::kAdd:
        return loop2<P>(a, b, out, [](P x, P y) { return x + y; });
      case Op::kSub:
        return loop2<P>(a, b, out, [](P x, P y) { return x - y; });
      case Op::kMul:
        return loop2<P>(a, b, out, [](P x, P y) { return x * y; });
      case Op::kDiv:
        loop2<P>(a, b, out, [](P x, P y) { return y == 0 ? 0.0 : x / y; });
        return nullWhereZero<P>(b, out);
      default:
        loop2<P>(a, b, out, [](P x, P y) { return y == 0 ? 0.0 : std::fmod(x, y); });
        return nullWhereZero<P>(b, out);
    }
  } else {
    switch (op) {
      case Op::kAdd:
        return loop2<P>(a, b, out, [](P x, P y) { return wrapping(Op::kAdd, x, y); });
      case Op::kSub:
        return loop2<P>(a, b, out, [](P x, P y) { return wrapping(Op::kSub, x, y); });
      case Op::kMul:
        return loop2<P>(a, b, out, [](P x, P y) { return wrapping(Op::kMul, x, y); });
      default:  // kMod (integral division is DOUBLE or DECIMAL after analysis)
        loop2<P>(a, b, out, [](P x, P y) {
          // MIN % -1 overflows in C++; its remainder is 0.
          return y == 0 || y == -1 ? P{0} : static_cast<P>(x % y);
        });
        return nullWhereZero<P>(b, out);
    }
  }
}

/// Decimal arithmetic on unscaled values (analysis set the operands'
/// scales); a result beyond the type's precision is null, as in Spark.
void decimalArithmetic(Op op, const ColumnVector& a, const ColumnVector& b, ColumnVector& out) {
  const DataType t = out.type();
  const int sa = a.type().scale(), sb = b.type().scale();
  for (size_t i = 0; i < out.size(); ++i) {
    const Int128 x = integerAt(a, i), y = integerAt(b, i);
    std::optional<Int128> r;
    switch (op) {
      case Op::kAdd:
        r = x + y;
        break;
      case Op::kSub:
        r = x - y;
        break;
      case Op::kMul:
        r = rescale(x * y, sa + sb, t.scale());
        break;
      case Op::kDiv:
        if (y != 0) {
          // x / y at the result's scale: x * 10^(s - sa + sb) / y, rounded.
          const int shift = t.scale() - sa + sb;
          std::optional<Int128> num = rescale(x, 0, shift);
          if (num) r = divideRounded(*num, y);
        }
        break;
      default:
        if (y != 0) r = x % y;
        break;
    }
    if (!r || !fitsPrecision(*r, t.precision())) {
      out.setNull(i);
    } else if (out.physical() == Physical::kInt128) {
      out.values<Int128>()[i] = *r;
    } else {
      out.values<int64_t>()[i] = static_cast<int64_t>(*r);
    }
  }
}

ColumnPtr arithmetic(const Expr& e, const ColumnVector& a, const ColumnVector& b) {
  auto out = std::make_shared<ColumnVector>(e.type, a.size());
  combineValidity(a, b, *out);
  if (e.type.id() == TypeId::kDecimal) {
    decimalArithmetic(e.op, a, b, *out);
  } else {
    dispatchFixed(a.physical(), [&](auto tag) {
      using P = decltype(tag);
      if constexpr (std::is_same_v<P, int32_t> || std::is_same_v<P, int64_t> ||
                    std::is_same_v<P, double>) {
        arithmeticLoop<P>(e.op, a, b, *out);
      }
    });
  }
  out->compactValidity();
  return out;
}

template <class T, class Get>
void compareLoop(Op op, size_t n, uint8_t* o, Get get) {
  switch (op) {
    case Op::kEq:
    case Op::kEqNullSafe:
      for (size_t i = 0; i < n; ++i) o[i] = get(i, [](const T& x, const T& y) { return x == y; });
      return;
    case Op::kNe:
      for (size_t i = 0; i < n; ++i) o[i] = get(i, [](const T& x, const T& y) { return x != y; });
      return;
    case Op::kLt:
      for (size_t i = 0; i < n; ++i) o[i] = get(i, [](const T& x, const T& y) { return x < y; });
      return;
    case Op::kLe:
      for (size_t i = 0; i < n; ++i) o[i] = get(i, [](const T& x, const T& y) { return x <= y; });
      return;
    case Op::kGt:
      for (size_t i = 0; i < n; ++i) o[i] = get(i, [](const T& x, const T& y) { return x > y; });
      return;
    default:
      for (size_t i = 0; i < n; ++i) o[i] = get(i, [](const T& x, const T& y) { return x >= y; });
      return;
  }
}

/// <=>: true when both are null, false when one is, else =.
void nullSafeEquality(const ColumnVector& a, const ColumnVector& b, ColumnVector& out) {
  uint8_t* o = out.values<uint8_t>();
  for (size_t i = 0; i < out.size(); ++i) {
    const bool na = a.isNull(i), nb = b.isNull(i);
    if (na || nb) o[i] = na && nb;
  }
}

ColumnPtr comparison(const Expr& e, const ColumnVector& a, const ColumnVector& b) {
  auto out = std::make_shared<ColumnVector>(DataType::boolean(), a.size());
  uint8_t* o = out->values<uint8_t>();
  const size_t n = a.size();
  if (a.physical() == Physical::kString) {
    compareLoop<std::string_view>(e.op, n, o, [&](size_t i, auto cmp) {
      return static_cast<uint8_t>(cmp(a.stringAt(i), b.stringAt(i)));
    });
  } else {
    dispatchFixed(a.physical(), [&](auto tag) {
      using P = decltype(tag);
      const P* x = a.values<P>();
      const P* y = b.values<P>();
      compareLoop<P>(e.op, n, o,
                     [&](size_t i, auto cmp) { return static_cast<uint8_t>(cmp(x[i], y[i])); });
    });
  }
  if (e.op == Op::kEqNullSafe) {
    nullSafeEquality(a, b, *out);
  } else {
    combineValidity(a, b, *out);
  }
  return out;
}

/// SQL's three-valued AND and OR: false AND null is false, true OR null true.
ColumnPtr logical(const Expr& e, const ColumnVector& a, const ColumnVector& b) {
  auto out = std::make_shared<ColumnVector>(DataType::boolean(), a.size());
  const uint8_t* x = a.values<uint8_t>();
  const uint8_t* y = b.values<uint8_t>();
  uint8_t* o = out->values<uint8_t>();
  const size_t n = a.size();
  const bool isAnd = e.op == Op::kAnd;
  for (size_t i = 0; i < n; ++i) o[i] = isAnd ? (x[i] & y[i]) : (x[i] | y[i]);
  if (!a.mayHaveNulls() && !b.mayHaveNulls()) return out;
  for (size_t i = 0; i < n; ++i) {
    const bool na = a.isNull(i), nb = b.isNull(i);
    if (!na && !nb) continue;
    // The known side decides when it is false (AND) or true (OR).
    const bool decided =
        isAnd ? ((!na && !x[i]) || (!nb && !y[i])) : ((!na && x[i]) || (!nb && y[i]));
    if (!decided) out->setNull(i);
    o[i] = isAnd ? 0 : decided;
  }
  return out;
}

ColumnPtr binary(const Expr& e, const Batch& in) {
  const ColumnPtr a = evaluate(*e.children[0], in);
  const ColumnPtr b = evaluate(*e.children[1], in);
  if (isArithmetic(e.op)) return arithmetic(e, *a, *b);
  if (isComparison(e.op)) return comparison(e, *a, *b);
  return logical(e, *a, *b);
}

ColumnPtr isNullCheck(const ColumnVector& a, bool wantNull) {
  auto out = std::make_shared<ColumnVector>(DataType::boolean(), a.size());
  uint8_t* o = out->values<uint8_t>();
  for (size_t i = 0; i < a.size(); ++i) o[i] = a.isNull(i) == wantNull;
  return out;
}

ColumnPtr unary(const Expr& e, const Batch& in) {
  const ColumnPtr a = evaluate(*e.children[0], in);
  if (e.op == Op::kIsNull) return isNullCheck(*a, true);
  if (e.op == Op::kIsNotNull) return isNullCheck(*a, false);
  auto out = std::make_shared<ColumnVector>(e.type, a->size());
  copyValidity(*a, *out);
  if (e.op == Op::kNot) {
    const uint8_t* x = a->values<uint8_t>();
    uint8_t* o = out->values<uint8_t>();
    for (size_t i = 0; i < a->size(); ++i) o[i] = !x[i];
    return out;
  }
  dispatchFixed(a->physical(), [&](auto tag) {
    using P = decltype(tag);
    const P* x = a->values<P>();
    P* o = out->values<P>();
    if constexpr (std::is_floating_point_v<P>) {
      for (size_t i = 0; i < a->size(); ++i) o[i] = -x[i];
    } else {
      using U = std::make_unsigned_t<std::conditional_t<std::is_same_v<P, Int128>, int64_t, P>>;
      for (size_t i = 0; i < a->size(); ++i) {
        if constexpr (std::is_same_v<P, Int128>) {
          o[i] = -x[i];
        } else {
          o[i] = static_cast<P>(U{0} - static_cast<U>(x[i]));
        }
      }
    }
  });
  return out;
}

/// CASE: each row takes the value of its first true condition, else the
/// ELSE value (or null). Every branch is computed for the whole batch.
ColumnPtr caseWhen(const Expr& e, const Batch& in) {
  const size_t n = in.numRows();
  const auto& c = e.children;
  std::vector<int> chosen(n, -1);
  size_t undecided = n;
  for (size_t b = 0; b + 1 < c.size() && undecided > 0; b += 2) {
    const ColumnPtr cond = evaluate(*c[b], in);
    const uint8_t* t = cond->values<uint8_t>();
    for (size_t i = 0; i < n; ++i) {
      if (chosen[i] < 0 && t[i] && !cond->isNull(i)) {
        chosen[i] = static_cast<int>(b + 1);
        --undecided;
      }
    }
  }
  const bool hasElse = c.size() % 2 == 1;
  std::vector<ColumnPtr> values(c.size());
  auto out = std::make_shared<ColumnVector>(e.type);
  for (size_t i = 0; i < n; ++i) {
    const int pick = chosen[i] >= 0 ? chosen[i] : (hasElse ? static_cast<int>(c.size() - 1) : -1);
    if (pick < 0) {
      out->appendNull();
      continue;
    }
    ColumnPtr& v = values[static_cast<size_t>(pick)];
    if (!v) v = evaluate(*c[static_cast<size_t>(pick)], in);
    out->appendFrom(*v, i);
  }
  out->compactValidity();
  return out;
}

}  // namespace

ColumnPtr constantColumn(const Value& v, size_t rows) {
  auto out = std::make_shared<ColumnVector>(v.type);
  if (v.isNull()) {
    for (size_t i = 0; i < rows; ++i) out->appendNull();
    return out;
  }
  if (v.type.isArray()) {
    for (size_t i = 0; i < rows; ++i) appendValue(*out, v);
    return out;
  }
  if (v.type.id() == TypeId::kString) {
    const std::string& s = std::get<std::string>(v.v);
    out->reserveChars(s.size() * rows);
    for (size_t i = 0; i < rows; ++i) out->appendString(s);
    return out;
  }
  out->resize(rows);
  dispatchFixed(out->physical(), [&](auto tag) {
    using P = decltype(tag);
    P x{};
    std::visit(
        [&](const auto& held) {
          using H = std::decay_t<decltype(held)>;
          if constexpr (std::is_arithmetic_v<H> || std::is_same_v<H, Int128>)
            x = static_cast<P>(held);
        },
        v.v);
    P* o = out->values<P>();
    for (size_t i = 0; i < rows; ++i) o[i] = x;
  });
  return out;
}

ColumnPtr evaluate(const Expr& e, const Batch& in) {
  switch (e.kind) {
    case ExprKind::kBound:
      return in.columnPtr(static_cast<size_t>(e.index));
    case ExprKind::kLiteral:
      return constantColumn(e.literal, in.numRows());
    case ExprKind::kAlias:
    case ExprKind::kSortOrder:
      return evaluate(*e.children[0], in);
    case ExprKind::kCast:
      return castColumn(evaluate(*e.children[0], in), e.type);
    case ExprKind::kUnary:
      return unary(e, in);
    case ExprKind::kBinary:
      return binary(e, in);
    case ExprKind::kCaseWhen:
      return caseWhen(e, in);
    case ExprKind::kFunction: {
      std::vector<ColumnPtr> args;
      args.reserve(e.children.size());
      for (const ExprPtr& c : e.children) args.push_back(evaluate(*c, in));
      return evaluateFunction(e, args, in.numRows());
    }
    default:
      throw std::logic_error("ember: evaluate() reached an unresolved or aggregate expression: " +
                             e.toString());
  }
}

std::vector<uint32_t> selectRows(const Expr& predicate, const Batch& in) {
  const ColumnPtr c = evaluate(predicate, in);
  const uint8_t* t = c->values<uint8_t>();
  std::vector<uint32_t> rows;
  rows.reserve(in.numRows());
  const size_t n = in.numRows();
  if (!c->mayHaveNulls()) {
    for (size_t i = 0; i < n; ++i)
      if (t[i]) rows.push_back(static_cast<uint32_t>(i));
  } else {
    for (size_t i = 0; i < n; ++i)
      if (t[i] && !c->isNull(i)) rows.push_back(static_cast<uint32_t>(i));
  }
  return rows;
}

}  // namespace ember::sql

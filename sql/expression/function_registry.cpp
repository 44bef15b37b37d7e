#include "sql/expression/function_registry.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <iterator>
#include <optional>
#include <regex>
#include <type_traits>

#include "sql/errors.hpp"
#include "sql/expression/array_functions.hpp"
#include "sql/expression/cast.hpp"
#include "sql/expression/decimal.hpp"
#include "sql/expression/detail/arguments.hpp"
#include "sql/expression/detail/like_pattern.hpp"
#include "sql/plan/expression_resolver.hpp"
#include "sql/types/date_time.hpp"

namespace ember::sql {

namespace detail {

[[noreturn]] void wrongType(const Expr& e, size_t arg, const std::string& wanted) {
  throw AnalysisException(
      "cannot resolve '" + e.toString() + "' due to data type mismatch: argument " +
      std::to_string(arg + 1) + " requires " + wanted + " type, however, '" +
      e.children[arg]->toString() + "' is of " + e.children[arg]->type.sqlName() + " type.");
}

void arity(const Expr& e, size_t lo, size_t hi) {
  if (e.children.size() < lo || e.children.size() > hi) {
    throw AnalysisException("function " + e.name + " takes " + std::to_string(lo) +
                            (hi != lo ? " to " + std::to_string(hi) : "") + " arguments, not " +
                            std::to_string(e.children.size()) + ": " + e.toString());
  }
}

void stringArg(Expr& e, size_t i) { e.children[i] = castTo(e.children[i], DataType::string()); }

void intArg(Expr& e, size_t i) {
  if (!e.children[i]->type.isIntegral() && e.children[i]->type.id() != TypeId::kNull)
    wrongType(e, i, "INT");
  e.children[i] = castTo(e.children[i], DataType::integer());
}

int literalInt(const Expr& e, size_t i) {
  const Expr& c = *e.children[i];
  if (c.kind != ExprKind::kLiteral || c.literal.isNull())
    throw AnalysisException("'" + e.toString() + "': argument " + std::to_string(i + 1) +
                            " must be a constant");
  return std::get<int32_t>(c.literal.v);
}

void checkRegex(const Expr& e) {
  const Expr& p = *e.children[1];
  if (p.kind != ExprKind::kLiteral || p.literal.isNull()) return;
  try {
    const std::regex compiled(std::get<std::string>(p.literal.v));
  } catch (const std::regex_error& error) {
    throw AnalysisException("'" + e.toString() + "': " + p.literal.toString() +
                            " is not a valid regular expression (" + error.what() + ")");
  }
}

}  // namespace detail

namespace {

using detail::arity;
using detail::checkRegex;
using detail::intArg;
using detail::literalInt;
using detail::stringArg;
using detail::wrongType;

void dateArg(Expr& e, size_t i) {
  const TypeId t = e.children[i]->type.id();
  if (t != TypeId::kDate && t != TypeId::kTimestamp && t != TypeId::kString && t != TypeId::kNull)
    wrongType(e, i, "DATE");
  e.children[i] = castTo(e.children[i], DataType::date());
}

void numericArg(Expr& e, size_t i) {
  DataType t = e.children[i]->type;
  if (t.id() == TypeId::kString || t.id() == TypeId::kNull) {
    e.children[i] = castTo(e.children[i], DataType::float64());
  } else if (!t.isNumeric()) {
    wrongType(e, i, "numeric");
  }
}

bool anyNullable(const Expr& e) {
  return std::any_of(e.children.begin(), e.children.end(),
                     [](const ExprPtr& c) { return c->nullable; });
}

/// All arguments at their common type (coalesce, in).
DataType unify(Expr& e) {
  DataType t = DataType::null();
  for (const ExprPtr& c : e.children) t = commonType(t, c->type, e.toString());
  for (ExprPtr& c : e.children) c = castTo(c, t);
  return t;
}

}  // namespace

ExprPtr resolveFunction(std::shared_ptr<Expr> e) {
  const std::string& f = e->name;
  e->nullable = anyNullable(*e);
  if (isArrayFunction(f)) {
    resolveArrayFunction(*e);
  } else if (f == "coalesce") {
    arity(*e, 1, 1000);
    e->type = unify(*e);
    e->nullable = std::all_of(e->children.begin(), e->children.end(),
                              [](const ExprPtr& c) { return c->nullable; });
  } else if (f == "in") {
    arity(*e, 2, 100000);
    if (unify(*e).isArray()) wrongType(*e, 0, "an atomic");
    e->type = DataType::boolean();
  } else if (f == "like" || f == "rlike" || f == "startswith" || f == "endswith" ||
             f == "contains") {
    arity(*e, 2, 2);
    stringArg(*e, 0);
    stringArg(*e, 1);
    if (f == "rlike") checkRegex(*e);
    e->type = DataType::boolean();
  } else if (f == "regexp_replace") {
    arity(*e, 3, 3);
    for (size_t i = 0; i < 3; ++i) stringArg(*e, i);
    checkRegex(*e);
    e->type = DataType::string();
  } else if (f == "concat") {
    arity(*e, 1, 1000);
    for (size_t i = 0; i < e->children.size(); ++i) stringArg(*e, i);
    e->type = DataType::string();
  } else if (f == "lower" || f == "upper" || f == "trim" || f == "ltrim" || f == "rtrim") {
    arity(*e, 1, 1);
    stringArg(*e, 0);
    e->type = DataType::string();
  } else if (f == "length") {
    arity(*e, 1, 1);
    stringArg(*e, 0);
    e->type = DataType::integer();
  } else if (f == "substring") {
    arity(*e, 3, 3);
    stringArg(*e, 0);
    intArg(*e, 1);
    intArg(*e, 2);
    e->type = DataType::string();
  } else if (f == "abs") {
    arity(*e, 1, 1);
    numericArg(*e, 0);
    e->type = e->children[0]->type;
  } else if (f == "sqrt") {
    arity(*e, 1, 1);
    numericArg(*e, 0);
    e->children[0] = castTo(e->children[0], DataType::float64());
    e->type = DataType::float64();
    e->nullable = true;  // sqrt of a negative is NaN in Spark, kept nullable for null input
  } else if (f == "isnan") {
    arity(*e, 1, 1);
    numericArg(*e, 0);
    e->children[0] = castTo(e->children[0], DataType::float64());
    e->type = DataType::boolean();
    e->nullable = false;  // isnan(null) is false
  } else if (f == "round") {
    arity(*e, 2, 2);
    numericArg(*e, 0);
    const int scale = literalInt(*e, 1);
    const DataType t = e->children[0]->type;
    e->type = t.id() == TypeId::kDecimal
                  ? DataType::decimal(std::min(DataType::kMaxPrecision,
                                               t.precision() - t.scale() + std::max(scale, 0) + 1),
                                      std::max(0, std::min(scale, t.scale())))
                  : t;
  } else if (f == "year" || f == "month" || f == "dayofmonth") {
    arity(*e, 1, 1);
    dateArg(*e, 0);
    e->type = DataType::integer();
  } else if (f == "to_date") {
    arity(*e, 1, 1);
    dateArg(*e, 0);
    e->type = DataType::date();
  } else if (f == "date_add" || f == "date_sub" || f == "add_months") {
    arity(*e, 2, 2);
    dateArg(*e, 0);
    intArg(*e, 1);
    e->type = DataType::date();
  } else if (f == "datediff") {
    arity(*e, 2, 2);
    dateArg(*e, 0);
    dateArg(*e, 1);
    e->type = DataType::integer();
  } else {
    throw AnalysisException("[UNRESOLVED_ROUTINE] Cannot resolve function `" + f + "`");
  }
  return e;
}

namespace {

using Strings = const ColumnVector&;

/// A string result row by row: f(i) returns the value (rows null in any
/// argument are null, unless the caller handles nulls itself).
template <class F>
ColumnPtr mapStrings(const std::vector<ColumnPtr>& args, size_t rows, F f) {
  auto out = std::make_shared<ColumnVector>(DataType::string());
  std::string scratch;
  for (size_t i = 0; i < rows; ++i) {
    bool null = false;
    for (const ColumnPtr& a : args) null = null || a->isNull(i);
    if (null) {
      out->appendNull();
      continue;
    }
    scratch.clear();
    f(i, scratch);
    out->appendString(scratch);
  }
  return out;
}

template <class R, class F>
ColumnPtr mapFixed(DataType type, const std::vector<ColumnPtr>& args, size_t rows, F f) {
  auto out = std::make_shared<ColumnVector>(type, rows);
  R* o = out->values<R>();
  for (size_t i = 0; i < rows; ++i) {
    bool null = false;
    for (const ColumnPtr& a : args) null = null || a->isNull(i);
    if (null) {
      out->setNull(i);
      continue;
    }
    if (!f(i, o[i])) out->setNull(i);
  }
  out->compactValidity();
  return out;
}

/// Index of the code point boundaries of a UTF-8 string.
size_t codePoints(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

size_t byteOfCodePoint(std::string_view s, size_t cp) {
  size_t seen = 0;
  for (size_t b = 0; b < s.size(); ++b) {
    if ((static_cast<unsigned char>(s[b]) & 0xC0) != 0x80) {
      if (seen == cp) return b;
      ++seen;
    }
  }
  return s.size();
}

/// Spark's substring: 1-based `pos` (0 is 1, negative from the end).
std::string_view substringOf(std::string_view s, int pos, int len) {
  const auto n = static_cast<int64_t>(codePoints(s));
  int64_t start = pos > 0 ? pos - 1 : (pos < 0 ? n + pos : 0);
  int64_t end = len < 0 ? start : start + len;
  start = std::clamp<int64_t>(start, 0, n);
  end = std::clamp<int64_t>(end, start, n);
  const size_t b = byteOfCodePoint(s, static_cast<size_t>(start));
  const size_t e = byteOfCodePoint(s, static_cast<size_t>(end));
  return s.substr(b, e - b);
}

/// The compiled pattern of the row: compiled again only when the pattern
/// changes, so a constant one is compiled once a batch.
template <class Compiled>
class PatternCache {
 public:
  const Compiled& of(std::string_view pattern) {
    if (!compiled_ || pattern != pattern_) {
      pattern_.assign(pattern);
      if constexpr (std::is_same_v<Compiled, std::regex>) {
        compiled_.emplace(pattern_, std::regex::ECMAScript);
      } else {
        compiled_.emplace(pattern_);
      }
    }
    return *compiled_;
  }

 private:
  std::string pattern_;
  std::optional<Compiled> compiled_;
};

ColumnPtr stringPredicate(const std::string& f, const std::vector<ColumnPtr>& a, size_t rows) {
  if (f == "like") {
    PatternCache<detail::LikePattern> like;
    return mapFixed<uint8_t>(DataType::boolean(), a, rows, [&](size_t i, uint8_t& o) {
      o = like.of(a[1]->stringAt(i)).matches(a[0]->stringAt(i));
      return true;
    });
  }
  if (f == "rlike") {
    PatternCache<std::regex> regex;
    return mapFixed<uint8_t>(DataType::boolean(), a, rows, [&](size_t i, uint8_t& o) {
      const std::string_view s = a[0]->stringAt(i);
      o = std::regex_search(s.begin(), s.end(), regex.of(a[1]->stringAt(i)));
      return true;
    });
  }
  // The function is chosen once, not compared by name on every row.
  const auto test = [&](auto matches) {
    return mapFixed<uint8_t>(DataType::boolean(), a, rows, [&](size_t i, uint8_t& o) {
      o = matches(a[0]->stringAt(i), a[1]->stringAt(i));
      return true;
    });
  };
  if (f == "startswith")
    return test([](std::string_view s, std::string_view p) { return s.starts_with(p); });
  if (f == "endswith")
    return test([](std::string_view s, std::string_view p) { return s.ends_with(p); });
  return test(
      [](std::string_view s, std::string_view p) { return s.find(p) != std::string_view::npos; });
}

ColumnPtr stringFunction(const std::string& f, const std::vector<ColumnPtr>& a, size_t rows) {
  if (f == "concat") {
    return mapStrings(a, rows, [&](size_t i, std::string& out) {
      for (const ColumnPtr& c : a) out += c->stringAt(i);
    });
  }
  if (f == "regexp_replace") {
    PatternCache<std::regex> regex;
    std::string with;
    return mapStrings(a, rows, [&](size_t i, std::string& out) {
      const std::string_view s = a[0]->stringAt(i);
      with.assign(a[2]->stringAt(i));
      std::regex_replace(std::back_inserter(out), s.begin(), s.end(), regex.of(a[1]->stringAt(i)),
                         with);
    });
  }
  if (f == "substring") {
    return mapStrings(a, rows, [&](size_t i, std::string& out) {
      out = substringOf(a[0]->stringAt(i), a[1]->values<int32_t>()[i], a[2]->values<int32_t>()[i]);
    });
  }
  // The function is chosen once, not compared by name on every row.
  if (f == "lower" || f == "upper") {
    const auto convert = f == "lower" ? ::tolower : ::toupper;
    return mapStrings(a, rows, [&](size_t i, std::string& out) {
      out.assign(a[0]->stringAt(i));
      for (char& c : out) c = static_cast<char>(convert(static_cast<unsigned char>(c)));
    });
  }
  const bool left = f != "rtrim", right = f != "ltrim";  // trim, ltrim, rtrim
  return mapStrings(a, rows, [&](size_t i, std::string& out) {
    std::string_view s = a[0]->stringAt(i);
    while (left && !s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (right && !s.empty() && s.back() == ' ') s.remove_suffix(1);
    out.assign(s);
  });
}

ColumnPtr coalesce(const Expr& e, const std::vector<ColumnPtr>& a, size_t rows) {
  auto out = std::make_shared<ColumnVector>(e.type);
  for (size_t i = 0; i < rows; ++i) {
    const ColumnVector* pick = nullptr;
    for (const ColumnPtr& c : a) {
      if (!c->isNull(i)) {
        pick = c.get();
        break;
      }
    }
    pick ? out->appendFrom(*pick, i) : out->appendNull();
  }
  out->compactValidity();
  return out;
}

/// SQL IN: true on a match; else null when the value or a candidate is null.
ColumnPtr inList(const std::vector<ColumnPtr>& a, size_t rows) {
  auto out = std::make_shared<ColumnVector>(DataType::boolean(), rows);
  uint8_t* o = out->values<uint8_t>();
  const ColumnVector& v = *a[0];
  for (size_t i = 0; i < rows; ++i) {
    if (v.isNull(i)) {
      out->setNull(i);
      continue;
    }
    bool sawNull = false;
    for (size_t k = 1; k < a.size() && !o[i]; ++k) {
      const ColumnVector& c = *a[k];
      if (c.isNull(i)) {
        sawNull = true;
      } else if (v.physical() == Physical::kString) {
        o[i] = v.stringAt(i) == c.stringAt(i);
      } else {
        const size_t w = widthOf(v.physical());
        o[i] =
            std::memcmp(v.values<unsigned char>() + i * w, c.values<unsigned char>() + i * w, w) ==
                0 &&
            (v.physical() != Physical::kDouble || v.values<double>()[i] == c.values<double>()[i]);
      }
    }
    if (!o[i] && sawNull) out->setNull(i);
  }
  out->compactValidity();
  return out;
}

ColumnPtr numberFunction(const Expr& e, const std::vector<ColumnPtr>& a, size_t rows) {
  if (e.name == "sqrt") {
    return mapFixed<double>(e.type, a, rows, [&](size_t i, double& o) {
      o = std::sqrt(a[0]->values<double>()[i]);
      return true;
    });
  }
  const int scale = e.name == "round" ? a[1]->values<int32_t>()[0] : 0;
  return dispatchFixed(physicalOf(e.type), [&](auto tag) -> ColumnPtr {
    using P = decltype(tag);
    return mapFixed<P>(e.type, {a[0]}, rows, [&](size_t i, P& o) {
      if constexpr (std::is_same_v<P, double>) {
        const double x = a[0]->values<double>()[i];
        const double m = std::pow(10.0, scale);
        o = e.name == "abs" ? std::fabs(x) : std::round(x * m) / m;
      } else if constexpr (std::is_same_v<P, uint8_t>) {
        o = 0;
      } else {
        const DataType in = a[0]->type();
        if (e.name == "abs") {
          const P x = a[0]->values<P>()[i];
          o = x < 0 ? static_cast<P>(-x) : x;
          return true;
        }
        // round: decimal to its new scale, integers to 10^-scale.
        const Int128 x = integerAt(*a[0], i);
        const int from = in.id() == TypeId::kDecimal ? in.scale() : 0;
        Int128 r = x;
        int at = from;
        if (scale < from) {
          r = divideRounded(x, pow10(from - scale));
          at = scale;
          if (scale < 0) {
            r *= pow10(-scale);
            at = 0;
          }
        }
        if (e.type.id() == TypeId::kDecimal) {
          std::optional<Int128> v = rescale(r, at, e.type.scale());
          if (!v || !fitsPrecision(*v, e.type.precision())) return false;
          r = *v;
        }
        o = static_cast<P>(r);
      }
      return true;
    });
  });
}

ColumnPtr dateFunction(const Expr& e, const std::vector<ColumnPtr>& a, size_t rows) {
  const std::string& f = e.name;
  if (f == "to_date") return a[0];
  if (f == "date_add" || f == "date_sub" || f == "datediff" || f == "add_months") {
    const int32_t sign = f == "date_add" ? 1 : -1;  // the function chosen once, not per row
    const bool months = f == "add_months";
    return mapFixed<int32_t>(e.type, a, rows, [&](size_t i, int32_t& o) {
      const int32_t d = a[0]->values<int32_t>()[i];
      const int32_t k = a[1]->values<int32_t>()[i];
      o = months ? addMonths(d, k) : d + sign * k;
      return true;
    });
  }
  return mapFixed<int32_t>(e.type, a, rows, [&](size_t i, int32_t& o) {
    const CivilDate c = civilFromDays(a[0]->values<int32_t>()[i]);
    o = f == "year" ? c.year : (f == "month" ? c.month : c.day);
    return true;
  });
}

ColumnPtr isNaN(const ColumnVector& x, size_t rows) {
  auto out = std::make_shared<ColumnVector>(DataType::boolean(), rows);
  uint8_t* o = out->values<uint8_t>();
  const double* v = x.values<double>();
  for (size_t i = 0; i < rows; ++i) o[i] = !x.isNull(i) && std::isnan(v[i]);
  return out;
}

}  // namespace

ColumnPtr evaluateFunction(const Expr& e, const std::vector<ColumnPtr>& args, size_t rows) {
  const std::string& f = e.name;
  if (isArrayFunction(f)) return evaluateArrayFunction(e, args, rows);
  if (f == "coalesce") return coalesce(e, args, rows);
  if (f == "in") return inList(args, rows);
  if (f == "like" || f == "rlike" || f == "startswith" || f == "endswith" || f == "contains")
    return stringPredicate(f, args, rows);
  if (f == "length") {
    return mapFixed<int32_t>(e.type, args, rows, [&](size_t i, int32_t& o) {
      o = static_cast<int32_t>(codePoints(args[0]->stringAt(i)));
      return true;
    });
  }
  if (f == "abs" || f == "sqrt" || f == "round") return numberFunction(e, args, rows);
  if (f == "isnan") return isNaN(*args[0], rows);
  if (f == "year" || f == "month" || f == "dayofmonth" || f == "to_date" || f == "date_add" ||
      f == "date_sub" || f == "datediff" || f == "add_months")
    return dateFunction(e, args, rows);
  return stringFunction(f, args, rows);
}

ExprPtr callByName(const std::string& name, std::vector<ExprPtr> args) {
  std::string n = name;
  for (char& c : n) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static const char* const kAggregates[] = {
      "sum",         "avg",  "mean",       "min",    "max",         "count",        "first",
      "first_value", "last", "last_value", "stddev", "stddev_samp", "collect_list", "collect_set"};
  static const char* const kWindowFunctions[] = {"row_number",   "rank",      "dense_rank",
                                                 "percent_rank", "cume_dist", "ntile",
                                                 "lag",          "lead",      "nth_value"};
  for (const char* a : kAggregates)
    if (n == a) return makeAggregate(n, std::move(args));
  for (const char* w : kWindowFunctions) {
    if (n != w) continue;
    if (n == "lag" || n == "lead") {
      if (args.size() < 2) args.push_back(makeLiteral(Value::integer(1)));
      if (args.size() < 3) args.push_back(makeLiteral(Value::null()));
    }
    return makeWindowFunction(n, std::move(args));
  }
  return makeFunction(n, std::move(args));
}

}  // namespace ember::sql

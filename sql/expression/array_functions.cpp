#include "sql/expression/array_functions.hpp"

#include <optional>
#include <regex>

#include "common/error.hpp"
#include "sql/errors.hpp"
#include "sql/expression/detail/arguments.hpp"
#include "sql/plan/expression_resolver.hpp"

namespace ember::sql {
namespace {

using detail::arity;
using detail::wrongType;

void arrayArg(const Expr& e, size_t i) {
  if (!e.children[i]->type.isArray()) wrongType(e, i, "ARRAY");
}

/// The delimiter of a pattern Java's String.split takes without a regular
/// expression: one character that is no metacharacter, or one escaped
/// character that is no letter or digit.
std::optional<char> literalDelimiter(std::string_view p) {
  static constexpr std::string_view kMeta = ".$|()[{^?*+\\";
  if (p.size() == 1 && kMeta.find(p[0]) == std::string_view::npos) return p[0];
  if (p.size() == 2 && p[0] == '\\' && !std::isalnum(static_cast<unsigned char>(p[1])) &&
      static_cast<unsigned char>(p[1]) < 0x80)
    return p[1];
  return std::nullopt;
}

/// Splits strings as Spark's split: Java's String.split(regex, limit) with
/// a limit of 0 taken as -1 (trailing empty strings are kept), and an
/// empty pattern splitting between characters. Each row's pieces are
/// appended straight to the result's element vector.
class Splitter {
 public:
  /// Appends the pieces of `s` around `pattern` (at most `limit` when it is
  /// positive, the last one holding the rest) to `out`.
  void split(std::string_view s, std::string_view pattern, int limit, ColumnVector& out) {
    ColumnVector& pieces = out.mutableElements();
    if (pattern.empty() && !s.empty()) {
      characters(s, limit, pieces);
    } else if (const std::optional<char> d = literalDelimiter(pattern)) {
      around(s, limit, pieces, [&](size_t from) -> Match {
        const size_t at = s.find(*d, from);
        return {at, at == std::string_view::npos ? at : at + 1};
      });
    } else {
      const std::regex& re = compiled(pattern);
      around(s, limit, pieces, [&](size_t from) -> Match {
        if (from > s.size()) return {std::string_view::npos, 0};
        // match_prev_avail: ^ and \b see the character before `from`.
        const auto flags =
            from > 0 ? std::regex_constants::match_prev_avail : std::regex_constants::match_default;
        if (!std::regex_search(s.data() + from, s.data() + s.size(), match_, re, flags))
          return {std::string_view::npos, 0};
        const size_t start = from + static_cast<size_t>(match_.position(0));
        return {start, start + static_cast<size_t>(match_.length(0))};
      });
    }
    out.endArray();
  }

 private:
  /// Where a delimiter starts and ends; start npos when there is none.
  struct Match {
    size_t start, end;
  };

  /// Java's loop over the delimiters that `next(from)` finds at or after
  /// `from`: after an empty one the search goes on a character later.
  template <class Next>
  static void around(std::string_view s, int limit, ColumnVector& pieces, Next next) {
    const bool limited = limit > 0;
    const size_t first = pieces.size();
    size_t index = 0;
    for (size_t from = 0; from <= s.size();) {
      const auto [start, end] = next(from);
      if (start == std::string_view::npos) break;
      const size_t count = pieces.size() - first;
      from = end > start ? end : end + 1;
      if (index == 0 && start == 0 && end == 0) continue;  // no empty first piece
      if (!limited || count + 1 < static_cast<size_t>(limit)) {
        pieces.appendString(s.substr(index, start - index));
        index = end;
      } else {
        break;  // the last piece is the rest
      }
    }
    if (index == 0) {  // no match: the string itself
      pieces.appendString(s);
      return;
    }
    pieces.appendString(s.substr(index));
  }

  /// Spark's split on an empty pattern: one piece a character (UTF-8 code
  /// point), the last holding the rest when the limit is reached.
  static void characters(std::string_view s, int limit, ColumnVector& pieces) {
    size_t b = 0;
    int made = 0;
    while (b < s.size()) {
      if (limit > 0 && made == limit - 1) break;
      size_t e = b + 1;
      while (e < s.size() && (static_cast<unsigned char>(s[e]) & 0xC0) == 0x80) ++e;
      pieces.appendString(s.substr(b, e - b));
      b = e;
      ++made;
    }
    if (b < s.size()) pieces.appendString(s.substr(b));
  }

  /// The compiled pattern, compiled again only when it changes (a constant
  /// pattern once a batch).
  const std::regex& compiled(std::string_view pattern) {
    if (!regex_ || pattern != pattern_) {
      pattern_.assign(pattern);
      regex_.emplace(pattern_, std::regex::ECMAScript);
    }
    return *regex_;
  }

  std::string pattern_;
  std::optional<std::regex> regex_;
  std::cmatch match_;
};

ColumnPtr split(const Expr& e, const std::vector<ColumnPtr>& a, size_t rows) {
  auto out = std::make_shared<ColumnVector>(e.type);
  const ColumnVector &s = *a[0], &pattern = *a[1], &limit = *a[2];
  Splitter splitter;
  for (size_t i = 0; i < rows; ++i) {
    if (s.isNull(i) || pattern.isNull(i) || limit.isNull(i)) {
      out->appendNull();
    } else {
      splitter.split(s.stringAt(i), pattern.stringAt(i), limit.values<int32_t>()[i], *out);
    }
  }
  out->compactValidity();
  return out;
}

/// Spark's size with spark.sql.legacy.sizeOfNull (its default unless ANSI
/// mode is on): -1 for a null array, never null.
ColumnPtr size(const ColumnVector& arrays, size_t rows) {
  auto out = std::make_shared<ColumnVector>(DataType::integer(), rows);
  int32_t* o = out->values<int32_t>();
  for (size_t i = 0; i < rows; ++i) {
    o[i] = arrays.isNull(i) ? -1 : static_cast<int32_t>(arrays.arrayEnd(i) - arrays.arrayBegin(i));
  }
  return out;
}

/// Calls f(equal) where equal(j, i) says whether element j of `elements`
/// is row i of `values` (both not null, of one type): one type switch a
/// batch.
template <class F>
ColumnPtr withEquality(const ColumnVector& elements, const ColumnVector& values, F f) {
  if (elements.physical() == Physical::kString)
    return f([&](size_t j, size_t i) { return elements.stringAt(j) == values.stringAt(i); });
  return dispatchFixed(elements.physical(), [&](auto tag) {
    using P = decltype(tag);
    const P* x = elements.values<P>();
    const P* y = values.values<P>();
    return f([x, y](size_t j, size_t i) { return x[j] == y[i]; });
  });
}

/// Spark's array_contains: null for a null array or value; true when an
/// element equals the value; else null when an element is null, else false.
ColumnPtr arrayContains(const ColumnVector& arrays, const ColumnVector& values, size_t rows) {
  auto out = std::make_shared<ColumnVector>(DataType::boolean(), rows);
  uint8_t* o = out->values<uint8_t>();
  const ColumnVector& elements = arrays.elements();
  return withEquality(elements, values, [&](auto equal) -> ColumnPtr {
    for (size_t i = 0; i < rows; ++i) {
      if (arrays.isNull(i) || values.isNull(i)) {
        out->setNull(i);
        continue;
      }
      bool sawNull = false;
      for (uint32_t j = arrays.arrayBegin(i); j < arrays.arrayEnd(i) && !o[i]; ++j) {
        if (elements.isNull(j)) {
          sawNull = true;
        } else {
          o[i] = equal(j, i);
        }
      }
      if (!o[i] && sawNull) out->setNull(i);
    }
    out->compactValidity();
    return out;
  });
}

/// Spark's element_at: 1-based, negative from the end, null out of range
/// (its non-ANSI behaviour); index 0 is an error, as in Spark.
ColumnPtr elementAt(const Expr& e, const ColumnVector& arrays, const ColumnVector& index,
                    size_t rows) {
  auto out = std::make_shared<ColumnVector>(e.type);
  const ColumnVector& elements = arrays.elements();
  for (size_t i = 0; i < rows; ++i) {
    if (arrays.isNull(i) || index.isNull(i)) {
      out->appendNull();
      continue;
    }
    const int64_t k = index.values<int32_t>()[i];
    if (k == 0)
      throw Error(
          "[INVALID_INDEX_OF_ZERO] The index 0 is invalid. An index shall be either < 0 or > 0 "
          "(the first element has index 1): " +
          e.toString());
    const int64_t n = arrays.arrayEnd(i) - arrays.arrayBegin(i);
    const int64_t at = k > 0 ? k - 1 : n + k;
    if (at < 0 || at >= n) {
      out->appendNull();
    } else {
      out->appendFrom(elements, arrays.arrayBegin(i) + static_cast<size_t>(at));
    }
  }
  out->compactValidity();
  return out;
}

}  // namespace

bool isArrayFunction(const std::string& name) {
  return name == "split" || name == "size" || name == "array_contains" || name == "element_at";
}

void resolveArrayFunction(Expr& e) {
  const std::string& f = e.name;
  if (f == "split") {
    arity(e, 3, 3);
    detail::stringArg(e, 0);
    detail::stringArg(e, 1);
    detail::intArg(e, 2);
    detail::checkRegex(e);
    e.type = DataType::array(DataType::string());
  } else if (f == "size") {
    arity(e, 1, 1);
    arrayArg(e, 0);
    e.type = DataType::integer();
    e.nullable = false;
  } else if (f == "array_contains") {
    arity(e, 2, 2);
    arrayArg(e, 0);
    const DataType element = e.children[0]->type.elementType();
    const DataType value = e.children[1]->type;
    if (value.isArray() || (value != element && value.id() != TypeId::kNull &&
                            !(value.isNumeric() && element.isNumeric())))
      wrongType(e, 1, element.sqlName());
    e.children[1] = castTo(e.children[1], element);
    e.type = DataType::boolean();
  } else {  // element_at
    arity(e, 2, 2);
    arrayArg(e, 0);
    detail::intArg(e, 1);
    if (e.children[1]->kind == ExprKind::kLiteral && !e.children[1]->literal.isNull() &&
        detail::literalInt(e, 1) == 0)
      throw AnalysisException("[INVALID_INDEX_OF_ZERO] '" + e.toString() +
                              "': SQL array indices start at 1");
    e.type = e.children[0]->type.elementType();
    e.nullable = true;
  }
}

ColumnPtr evaluateArrayFunction(const Expr& e, const std::vector<ColumnPtr>& args, size_t rows) {
  const std::string& f = e.name;
  if (f == "split") return split(e, args, rows);
  if (f == "size") return size(*args[0], rows);
  if (f == "array_contains") return arrayContains(*args[0], *args[1], rows);
  return elementAt(e, *args[0], *args[1], rows);
}

void resolveGenerator(Expr& g) {
  arity(g, 1, 1);
  const DataType t = g.children[0]->type;
  if (!t.isArray()) {
    throw AnalysisException("cannot resolve '" + g.toString() +
                            "' due to data type mismatch: input to function " + g.name +
                            " should be array type, however, '" + g.children[0]->toString() +
                            "' is of " + t.sqlName() + " type.");
  }
  g.type = t.elementType();
  g.nullable = true;
}

}  // namespace ember::sql

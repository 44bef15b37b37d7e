#pragma once
// appendText: how saveAsTextFile and pipe print a record as a line.

#include <charconv>
#include <concepts>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace ember::detail {

template <class T>
concept Streamable = requires(std::ostream& os, const T& x) {
  os << x;
};

template <class T>
void appendText(std::string& out, const T& x);

template <class T>
struct TextFormat {
  static void append(std::string& out, const T& x) {
    if constexpr (std::is_same_v<T, bool>) {
      out += x ? "true" : "false";
    } else if constexpr (std::is_arithmetic_v<T>) {
      char buf[64];
      auto result = std::to_chars(buf, buf + sizeof(buf), x);
      out.append(buf, result.ptr);
    } else if constexpr (std::is_convertible_v<const T&, std::string_view>) {
      out += std::string_view(x);
    } else {
      static_assert(Streamable<T>,
                    "ember prints records as text (saveAsTextFile, pipe) with operator<<: define "
                    "std::ostream& operator<<(std::ostream&, const T&) for your record type");
      std::ostringstream os;
      os << x;
      out += os.str();
    }
  }
};

/// Pairs and tuples print as tab-separated fields: "key\tvalue".
template <class A, class B>
struct TextFormat<std::pair<A, B>> {
  static void append(std::string& out, const std::pair<A, B>& p) {
    appendText(out, p.first);
    out += '\t';
    appendText(out, p.second);
  }
};

template <class... Ts>
struct TextFormat<std::tuple<Ts...>> {
  static void append(std::string& out, const std::tuple<Ts...>& t) {
    std::apply(
        [&](const auto&... xs) {
          bool first = true;
          ((out += first ? "" : "\t", first = false, appendText(out, xs)), ...);
        },
        t);
  }
};

/// A missing optional (the empty side of an outer join) prints as "None".
template <class A>
struct TextFormat<std::optional<A>> {
  static void append(std::string& out, const std::optional<A>& o) {
    if (o) {
      appendText(out, *o);
    } else {
      out += "None";
    }
  }
};

/// Vectors (groupByKey's values, glom) print as "[a, b, c]".
template <class A>
struct TextFormat<std::vector<A>> {
  static void append(std::string& out, const std::vector<A>& v) {
    out += '[';
    for (size_t i = 0; i < v.size(); ++i) {
      if (i > 0) out += ", ";
      appendText(out, v[i]);
    }
    out += ']';
  }
};

template <class T>
void appendText(std::string& out, const T& x) {
  TextFormat<T>::append(out, x);
}

}  // namespace ember::detail

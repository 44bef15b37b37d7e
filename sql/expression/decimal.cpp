#include "sql/expression/decimal.hpp"

#include <array>
#include <cctype>
#include <cmath>
#include <string>

namespace ember::sql {

Int128 pow10(int n) {
  static const auto kTable = [] {
    std::array<Int128, 39> t{};
    t[0] = 1;
    for (size_t i = 1; i < t.size(); ++i) t[i] = t[i - 1] * 10;
    return t;
  }();
  return kTable[static_cast<size_t>(n)];
}

Int128 divideRounded(Int128 a, Int128 b) {
  Int128 q = a / b;
  const Int128 r = a % b;
  const Int128 twice = (r < 0 ? -r : r) * 2;
  if (twice >= (b < 0 ? -b : b)) q += ((a < 0) != (b < 0)) ? -1 : 1;
  return q;
}

std::optional<Int128> rescale(Int128 v, int from, int to) {
  if (from == to) return v;
  if (to < from) return divideRounded(v, pow10(from - to));
  // 10^38 / 10^k is 10^(38-k): no 128-bit division per value (it was the
  // largest single cost of TPC-H Q1's decimal arithmetic).
  const int up = to - from;
  if (up > DataType::kMaxPrecision) return v == 0 ? std::optional<Int128>(0) : std::nullopt;
  const Int128 bound = pow10(DataType::kMaxPrecision - up);
  if (v > bound || v < -bound) return std::nullopt;
  return v * pow10(up);
}

std::optional<Int128> decimalFromDouble(double x, int precision, int scale) {
  if (!std::isfinite(x)) return std::nullopt;
  const long double scaled = std::round(static_cast<long double>(x) * std::pow(10.0L, scale));
  if (std::fabs(scaled) >= std::pow(10.0L, precision)) return std::nullopt;
  return static_cast<Int128>(scaled);
}

std::optional<Int128> parseDecimal(std::string_view text, int precision, int scale) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  size_t pos = 0;
  bool negative = false;
  if (pos < text.size() && (text[pos] == '-' || text[pos] == '+')) negative = text[pos++] == '-';
  Int128 digits = 0;
  int fractionDigits = 0, count = 0;
  bool point = false, anyDigit = false;
  for (; pos < text.size(); ++pos) {
    const char c = text[pos];
    if (c == '.' && !point) {
      point = true;
      continue;
    }
    if (c < '0' || c > '9') break;
    anyDigit = true;
    if (count >= 38) return std::nullopt;
    digits = digits * 10 + (c - '0');
    if (digits != 0) ++count;
    if (point) ++fractionDigits;
  }
  if (!anyDigit) return std::nullopt;
  int exponent = 0;
  if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
    try {
      size_t used = 0;
      exponent = std::stoi(std::string(text.substr(pos + 1)), &used);
      pos += 1 + used;
    } catch (...) {
      return std::nullopt;
    }
  }
  if (pos != text.size()) return std::nullopt;
  const int from = fractionDigits - exponent;
  std::optional<Int128> v =
      from >= 0 ? rescale(digits, from, scale) : rescale(digits, 0, scale - from);
  if (!v || !fitsPrecision(*v, precision)) return std::nullopt;
  return negative ? -*v : *v;
}

}  // namespace ember::sql

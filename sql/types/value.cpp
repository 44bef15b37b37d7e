#include "sql/types/value.hpp"

#include <charconv>
#include <cmath>

#include "sql/types/date_time.hpp"

namespace ember::sql {

Value Value::decimal(DataType type, Int128 unscaled) {
  if (type.isWideDecimal()) return Value{type, unscaled};
  return Value{type, static_cast<int64_t>(unscaled)};
}

std::string formatDouble(double x) {
  if (std::isnan(x)) return "NaN";
  if (std::isinf(x)) return x > 0 ? "Infinity" : "-Infinity";
  if (x == 0) return std::signbit(x) ? "-0.0" : "0.0";
  // The shortest digits that read back as x, placed as Java places them:
  // plain notation for 1e-3 <= |x| < 1e7, else d.dddE±n.
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::scientific);
  std::string sci(buf, end);
  const size_t e = sci.find('e');
  const int exponent = std::stoi(sci.substr(e + 1));
  std::string mantissa = sci.substr(0, e);
  const bool negative = mantissa.front() == '-';
  if (negative) mantissa.erase(0, 1);
  std::string digitsOnly;
  for (char c : mantissa)
    if (c != '.') digitsOnly += c;
  std::string out = negative ? "-" : "";
  const double a = std::fabs(x);
  if (a >= 1e-3 && a < 1e7) {
    if (exponent >= 0) {
      const auto intDigits = static_cast<size_t>(exponent + 1);
      while (digitsOnly.size() < intDigits) digitsOnly += '0';
      std::string frac = digitsOnly.substr(intDigits);
      out += digitsOnly.substr(0, intDigits) + "." + (frac.empty() ? "0" : frac);
    } else {
      out += "0." + std::string(static_cast<size_t>(-exponent - 1), '0') + digitsOnly;
    }
    return out;
  }
  std::string frac = digitsOnly.substr(1);
  out +=
      digitsOnly.substr(0, 1) + "." + (frac.empty() ? "0" : frac) + "E" + std::to_string(exponent);
  return out;
}

std::string formatDecimal(Int128 unscaled, int scale) {
  const bool negative = unscaled < 0;
  // Digits of the magnitude, without overflow at the most negative value.
  UInt128 m = negative ? static_cast<UInt128>(-(unscaled + 1)) + 1 : static_cast<UInt128>(unscaled);
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(m % 10)));
    m /= 10;
  } while (m != 0);
  if (scale > 0) {
    while (digits.size() <= static_cast<size_t>(scale)) digits.insert(digits.begin(), '0');
    digits.insert(digits.end() - scale, '.');
  }
  return negative ? "-" + digits : digits;
}

std::string Value::toString() const {
  if (isNull()) return "null";
  switch (type.id()) {
    case TypeId::kBoolean:
      return std::get<bool>(v) ? "true" : "false";
    case TypeId::kInt:
      return std::to_string(std::get<int32_t>(v));
    case TypeId::kBigInt:
      return std::to_string(std::get<int64_t>(v));
    case TypeId::kDouble:
      return formatDouble(std::get<double>(v));
    case TypeId::kDecimal:
      return formatDecimal(type.isWideDecimal() ? std::get<Int128>(v) : std::get<int64_t>(v),
                           type.scale());
    case TypeId::kString:
      return std::get<std::string>(v);
    case TypeId::kDate:
      return formatDate(std::get<int32_t>(v));
    case TypeId::kTimestamp:
      return formatTimestamp(std::get<int64_t>(v));
    case TypeId::kNull:
      return "null";
  }
  return "?";
}

}  // namespace ember::sql

#include "sql/types/value.hpp"

#include <charconv>
#include <cmath>
#include <utility>

#include "sql/types/date_time.hpp"

namespace ember::sql {

Value Value::decimal(DataType type, Int128 unscaled) {
  if (type.isWideDecimal()) return Value{type, unscaled};
  return Value{type, static_cast<int64_t>(unscaled)};
}

Value Value::list(DataType element, List elements) {
  return Value{DataType::array(element), std::move(elements)};
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
    case TypeId::kArray: {
      // Spark's show() and CAST(array AS STRING): "[a, null, c]".
      const List& elements = std::get<List>(v);
      std::string out = "[";
      for (size_t i = 0; i < elements.size(); ++i) out += (i ? ", " : "") + elements[i].toString();
      return out + "]";
    }
    case TypeId::kNull:
      return "null";
  }
  return "?";
}

void writeDataType(ByteWriter& w, DataType type) {
  const unsigned char bytes[4] = {static_cast<unsigned char>(type.id()),
                                  static_cast<unsigned char>(type.precision()),
                                  static_cast<unsigned char>(type.scale()),
                                  static_cast<unsigned char>(type.elementType().id())};
  w.write(bytes, sizeof bytes);
}

namespace {

DataType scalarType(ByteReader& r, unsigned char id, unsigned char precision, unsigned char scale) {
  if (id >= static_cast<unsigned char>(TypeId::kArray)) r.fail("an unknown column type");
  if (id != static_cast<unsigned char>(TypeId::kDecimal)) return DataType(static_cast<TypeId>(id));
  if (precision < 1 || precision > DataType::kMaxPrecision || scale > precision)
    r.fail("a decimal column of a precision or scale out of range");
  return DataType::decimal(precision, scale);
}

/// The index in Storage of the values of a physical layout.
size_t alternativeOf(Physical p) {
  switch (p) {
    case Physical::kBool:
      return 1;
    case Physical::kInt32:
      return 2;
    case Physical::kInt64:
      return 3;
    case Physical::kDouble:
      return 4;
    case Physical::kInt128:
      return 5;
    case Physical::kString:
      return 6;
    case Physical::kArray:
      return 7;
    case Physical::kNone:
      break;
  }
  return 0;
}

/// The default value of alternative `index` of Storage.
template <size_t... I>
Value::Storage emptyAlternative(uint64_t index, std::index_sequence<I...>) {
  Value::Storage out;
  ((index == I ? (out.template emplace<I>(), 0) : 0), ...);
  return out;
}

}  // namespace

DataType readDataType(ByteReader& r) {
  unsigned char b[4];
  r.read(b, sizeof b);
  if (b[0] != static_cast<unsigned char>(TypeId::kArray)) return scalarType(r, b[0], b[1], b[2]);
  if (b[3] == static_cast<unsigned char>(TypeId::kArray)) r.fail("an array of arrays");
  return DataType::array(scalarType(r, b[3], b[1], b[2]));
}

void Value::writeTo(ByteWriter& w) const {
  writeDataType(w, type);
  w.writeVarint(v.index());
  if (const List* elements = std::get_if<List>(&v)) {
    w.writeVarint(elements->size());
    for (const Value& e : *elements) e.writeTo(w);
    return;
  }
  std::visit(
      [&](const auto& x) {
        using X = std::decay_t<decltype(x)>;
        if constexpr (!std::is_same_v<X, std::monostate> && !std::is_same_v<X, List>)
          serialize(w, x);
      },
      v);
}

void Value::readFrom(ByteReader& r) {
  type = readDataType(r);
  const uint64_t index = r.readVarint();
  if (index == 0) {
    v = std::monostate{};
    return;
  }
  if (index != alternativeOf(physicalOf(type)))
    r.fail("a row value that does not hold its type's " + type.sqlName());
  if (type.isArray()) {
    List elements(r.readCount(5));
    for (Value& e : elements) {
      e.readFrom(r);
      if (!e.isNull() && e.type != type.elementType())
        r.fail("an array element that is not of its array's type");
    }
    v = std::move(elements);
    return;
  }
  v = emptyAlternative(index, std::make_index_sequence<std::variant_size_v<Storage>>());
  std::visit(
      [&](auto& x) {
        using X = std::decay_t<decltype(x)>;
        if constexpr (!std::is_same_v<X, std::monostate> && !std::is_same_v<X, List>)
          deserialize(r, x);
      },
      v);
}

}  // namespace ember::sql

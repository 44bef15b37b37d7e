#pragma once
// Unscaled decimal arithmetic on 128-bit integers: powers of ten, rescaling
// with Spark's rounding (half away from zero), precision checks.

#include <optional>
#include <string_view>

#include "sql/types/physical.hpp"

namespace ember::sql {

/// 10^n for 0 <= n <= 38.
Int128 pow10(int n);

/// `v` at `from` digits of scale, moved to `to` digits, rounded half away
/// from zero when digits are dropped; nullopt when it overflows 128 bits.
std::optional<Int128> rescale(Int128 v, int from, int to);

/// Whether `v` has at most `precision` digits.
inline bool fitsPrecision(Int128 v, int precision) {
  const Int128 limit = pow10(precision);
  return v < limit && v > -limit;
}

/// `a / b` rounded half away from zero; b != 0.
Int128 divideRounded(Int128 a, Int128 b);

/// The nearest decimal of `scale` digits to `x`; nullopt when not finite
/// or not held in `precision` digits.
std::optional<Int128> decimalFromDouble(double x, int precision, int scale);

/// Parses "-12.345", "1e3", " 7 " to an unscaled value of `scale` digits;
/// nullopt when the text is not a number or needs more than `precision`.
std::optional<Int128> parseDecimal(std::string_view text, int precision, int scale);

}  // namespace ember::sql

#include "sql/execution/key_encoding.hpp"

#include <cmath>
#include <cstdint>
#include <limits>

namespace ember::sql {

void appendKeyBytes(const ColumnVector& c, size_t i, std::string& key) {
  if (c.isNull(i)) {
    key += '\0';
    return;
  }
  key += '\1';
  if (c.physical() == Physical::kArray) {
    // The count first, so that ([a], [b]) and ([a, b]) differ too.
    const uint32_t n = c.arrayEnd(i) - c.arrayBegin(i);
    key.append(reinterpret_cast<const char*>(&n), sizeof n);
    for (uint32_t e = c.arrayBegin(i); e < c.arrayEnd(i); ++e) appendKeyBytes(c.elements(), e, key);
  } else if (c.physical() == Physical::kString) {
    const std::string_view s = c.stringAt(i);
    const auto n = static_cast<uint32_t>(s.size());
    key.append(reinterpret_cast<const char*>(&n), sizeof n);
    key.append(s);
  } else if (c.physical() == Physical::kDouble) {
    double d = c.values<double>()[i];
    if (d == 0) d = 0;
    if (std::isnan(d)) d = std::numeric_limits<double>::quiet_NaN();
    key.append(reinterpret_cast<const char*>(&d), sizeof d);
  } else {
    const size_t w = widthOf(c.physical());
    key.append(reinterpret_cast<const char*>(c.values<unsigned char>() + i * w), w);
  }
}

}  // namespace ember::sql

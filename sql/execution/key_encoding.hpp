#pragma once
// Key bytes: a row's key columns written as one string, for hash tables
// keyed by several columns or by strings. Equal keys give equal bytes.

#include <string>

#include "sql/types/column_vector.hpp"

namespace ember::sql {

/// Appends row `i` of `c` to `key`: a null marker, else the value's bytes
/// (a string with its length first, so that ("ab","c") and ("a","bc")
/// differ; an array its element count, then each element's bytes). -0.0 is written as 0.0 and every
/// NaN alike, so that they group together as Spark groups them.
void appendKeyBytes(const ColumnVector& c, size_t i, std::string& key);

}  // namespace ember::sql

#pragma once
// DataFrameNaFunctions: dropping and filling nulls, as pyspark's df.na.

#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "sql/data_frame.hpp"

namespace ember {

/// A value na().fill() puts in place of nulls.
using FillValue = std::variant<bool, int64_t, double, std::string>;

/// df.na(): a DataFrame's rows without nulls, or with them replaced. As
/// Spark (NaN counts as null for drop), a fill value goes only into the
/// columns of its kind: a number into numeric columns (cast to each
/// column's type), a string into string columns, a boolean into boolean
/// ones; other columns are left alone.
class DataFrameNaFunctions {
 public:
  explicit DataFrameNaFunctions(DataFrame df) : df_(std::move(df)) {}

  /// Rows with a null (how "any") or only nulls (how "all") in `subset`
  /// (every column when empty) dropped.
  DataFrame drop(const std::string& how = "any", const std::vector<std::string>& subset = {}) const;
  DataFrame drop(const std::vector<std::string>& subset) const { return drop("any", subset); }
  /// Rows with fewer than `minNonNulls` non-null values in `subset` dropped.
  DataFrame drop(int minNonNulls, const std::vector<std::string>& subset = {}) const;

  /// Nulls of `subset`'s columns (all of the value's kind when empty) set to `value`.
  DataFrame fill(int64_t value, const std::vector<std::string>& subset = {}) const {
    return filled(value, subset);
  }
  DataFrame fill(int value, const std::vector<std::string>& subset = {}) const {
    return filled(int64_t{value}, subset);
  }
  DataFrame fill(double value, const std::vector<std::string>& subset = {}) const {
    return filled(value, subset);
  }
  DataFrame fill(bool value, const std::vector<std::string>& subset = {}) const {
    return filled(value, subset);
  }
  DataFrame fill(const std::string& value, const std::vector<std::string>& subset = {}) const {
    return filled(value, subset);
  }
  DataFrame fill(const char* value, const std::vector<std::string>& subset = {}) const {
    return filled(std::string(value), subset);
  }
  /// Each named column's nulls set to its value: fill({{"age", 0}, {"name", "?"}}).
  DataFrame fill(const std::map<std::string, FillValue>& values) const;

 private:
  DataFrame filled(const FillValue& value, const std::vector<std::string>& subset) const;

  DataFrame df_;
};

}  // namespace ember

#include "sql/data_frame_na_functions.hpp"

#include <strings.h>
#include <algorithm>

#include "sql/errors.hpp"
#include "sql/functions.hpp"
#include "sql/plan/expression_resolver.hpp"

namespace ember {
namespace F = functions;

namespace {

/// The columns `subset` names (every column when empty), by position.
std::vector<size_t> columnsOf(const DataFrame& df, const std::vector<std::string>& subset) {
  std::vector<size_t> at;
  if (subset.empty()) {
    for (size_t i = 0; i < df.schema().size(); ++i) at.push_back(i);
    return at;
  }
  for (const std::string& name : subset) {
    df.col(name);  // an unknown name throws AnalysisException
    at.push_back(*df.schema().find(name));
  }
  return at;
}

/// Whether a fill value may go into a column of `type`: numbers into
/// numeric columns, strings into strings, booleans into booleans.
bool fits(const FillValue& v, DataType type) {
  if (std::holds_alternative<std::string>(v)) return type.id() == TypeId::kString;
  if (std::holds_alternative<bool>(v)) return type.id() == TypeId::kBoolean;
  return type.isNumeric();
}

Column literalOf(const FillValue& v) {
  return std::visit([](const auto& x) { return F::lit(x); }, v);
}

}  // namespace

DataFrame DataFrameNaFunctions::drop(const std::string& how,
                                     const std::vector<std::string>& subset) const {
  std::string h = how;
  for (char& c : h) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (h != "any" && h != "all")
    throw AnalysisException("na.drop: how must be 'any' or 'all', not '" + how + "'");
  const auto n = static_cast<int>(columnsOf(df_, subset).size());
  return drop(h == "any" ? n : 1, subset);
}

DataFrame DataFrameNaFunctions::drop(int minNonNulls,
                                     const std::vector<std::string>& subset) const {
  // Spark's AtLeastNNonNulls: a NaN counts as null too.
  std::optional<Column> count;
  for (size_t i : columnsOf(df_, subset)) {
    const StructField& f = df_.schema()[i];
    const Column c(sql::boundColumn(df_.schema(), i));
    Column present = c.isNotNull();
    if (f.dataType.id() == TypeId::kDouble) present = present && !F::isnan(c);
    Column one = F::when(present, 1).otherwise(0);
    count = count ? *count + one : one;
  }
  if (!count) return minNonNulls > 0 ? df_.filter(F::lit(false)) : df_;
  return df_.filter(*count >= minNonNulls);
}

DataFrame DataFrameNaFunctions::filled(const FillValue& value,
                                       const std::vector<std::string>& subset) const {
  std::map<std::string, FillValue> values;
  for (size_t i : columnsOf(df_, subset)) {
    const StructField& f = df_.schema()[i];
    if (fits(value, f.dataType)) values.emplace(f.name, value);
  }
  return fill(values);
}

DataFrame DataFrameNaFunctions::fill(const std::map<std::string, FillValue>& values) const {
  for (const auto& [name, v] : values) {
    df_.col(name);  // an unknown name throws AnalysisException
    const StructField& f = df_.schema()[*df_.schema().find(name)];
    if (!fits(v, f.dataType))
      throw AnalysisException("na.fill: the value for column `" + name + "` (" +
                              literalOf(v).toString() + ") does not fit its type " +
                              f.dataType.sqlName());
  }
  std::vector<Column> out;
  for (size_t i = 0; i < df_.schema().size(); ++i) {
    const StructField& f = df_.schema()[i];
    const Column c(sql::boundColumn(df_.schema(), i));
    auto v = std::find_if(values.begin(), values.end(), [&](const auto& kv) {
      return strcasecmp(kv.first.c_str(), f.name.c_str()) == 0;
    });
    if (v == values.end()) {
      out.push_back(c);
      continue;
    }
    const Column fill = literalOf(v->second).cast(f.dataType);
    Column missing = c.isNull();
    if (f.dataType.id() == TypeId::kDouble) missing = missing || F::isnan(c);
    out.push_back(F::when(missing, fill).otherwise(c).alias(f.name));
  }
  return df_.select(out);
}

}  // namespace ember

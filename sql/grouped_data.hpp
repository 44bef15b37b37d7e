#pragma once
// GroupedData: the rows of a DataFrame grouped by keys, waiting for their
// aggregates, as pyspark's GroupedData.

#include <string>
#include <vector>

#include "sql/column.hpp"
#include "sql/data_frame.hpp"

namespace ember {

/// df.groupBy(keys): agg(...) gives one row per distinct key (null is a
/// key too), with the key columns first. Aggregates may be combined with
/// other expressions (F::sum("a") / F::count("*")); other columns must be
/// keys. Computed as Spark does: partial aggregates in each partition, an
/// exchange on the keys (ember.sql.shuffle.partitions partitions), then the
/// partial results merged.
class GroupedData {
 public:
  GroupedData(DataFrame df, std::vector<Column> keys)
      : df_(std::move(df)), keys_(std::move(keys)) {}

  DataFrame agg(const std::vector<Column>& aggregates) const;
  template <class... Cs>
  DataFrame agg(const Column& first, const Cs&... rest) const {
    return agg(std::vector<Column>{first, rest...});
  }
  /// One column `count`: the rows of each group.
  DataFrame count() const;
  DataFrame sum(const std::vector<std::string>& columns) const;
  DataFrame avg(const std::vector<std::string>& columns) const;
  DataFrame mean(const std::vector<std::string>& columns) const { return avg(columns); }
  DataFrame min(const std::vector<std::string>& columns) const;
  DataFrame max(const std::vector<std::string>& columns) const;
  template <class... Ss>
  DataFrame sum(const std::string& c, const Ss&... more) const {
    return sum(std::vector<std::string>{c, std::string(more)...});
  }
  template <class... Ss>
  DataFrame avg(const std::string& c, const Ss&... more) const {
    return avg(std::vector<std::string>{c, std::string(more)...});
  }
  template <class... Ss>
  DataFrame mean(const std::string& c, const Ss&... more) const {
    return avg(std::vector<std::string>{c, std::string(more)...});
  }
  template <class... Ss>
  DataFrame min(const std::string& c, const Ss&... more) const {
    return min(std::vector<std::string>{c, std::string(more)...});
  }
  template <class... Ss>
  DataFrame max(const std::string& c, const Ss&... more) const {
    return max(std::vector<std::string>{c, std::string(more)...});
  }

 private:
  DataFrame each(const char* function, const std::vector<std::string>& columns) const;

  DataFrame df_;
  std::vector<Column> keys_;
};

template <ColumnOrName... Cs>
GroupedData DataFrame::groupBy(const Cs&... keys) const {
  return groupBy(std::vector<Column>{toColumn(keys)...});
}

}  // namespace ember

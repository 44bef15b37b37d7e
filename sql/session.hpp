#pragma once
// Session: the entry point of DataFrames, as SparkSession.

#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "rdd/detail/map_partitions_rdd.hpp"
#include "rdd/rdd.hpp"
#include "sql/catalog.hpp"
#include "sql/data_frame.hpp"
#include "sql/data_frame_reader.hpp"
#include "sql/errors.hpp"
#include "sql/row.hpp"
#include "sql/runtime_config.hpp"
#include "sql/types/struct_type.hpp"

namespace ember {

class Context;

namespace sql {
struct SessionState;

/// The SQL type of a C++ field of createDataFrame's tuples.
template <class T>
struct TypeOfField;
template <>
struct TypeOfField<bool> {
  static DataType get() { return DataType::boolean(); }
};
template <>
struct TypeOfField<int32_t> {
  static DataType get() { return DataType::integer(); }
};
template <>
struct TypeOfField<int64_t> {
  static DataType get() { return DataType::bigint(); }
};
template <>
struct TypeOfField<double> {
  static DataType get() { return DataType::float64(); }
};
template <>
struct TypeOfField<std::string> {
  static DataType get() { return DataType::string(); }
};
template <>
struct TypeOfField<const char*> {
  static DataType get() { return DataType::string(); }
};
template <class T>
struct TypeOfField<std::optional<T>> {
  static DataType get() { return TypeOfField<T>::get(); }
};

template <class T>
Value valueOfField(const T& x) {
  if constexpr (requires { x.has_value(); }) {
    return x ? valueOfField(*x) : Value::null(TypeOfField<T>::get());
  } else if constexpr (std::is_same_v<T, const char*> || std::is_same_v<T, std::string>) {
    return Value::string(std::string(x));
  } else {
    return Value{TypeOfField<T>::get(), x};
  }
}

}  // namespace sql

/// SparkSession: makes DataFrames from ranges, local rows and files.
/// Holds a reference to `ctx`, which must outlive it and its DataFrames.
class Session {
 public:
  explicit Session(Context& ctx);

  Context& sparkContext() const;

  /// The session's settings: spark.conf().set("spark.sql.shuffle.partitions", 8).
  RuntimeConfig conf() const;
  /// A reader of files: spark.read().option("header", true).csv(path).
  DataFrameReader read() const { return DataFrameReader(state_); }

  /// A SQL statement's result: a query's rows, lazily, as a DataFrame; a
  /// command (CREATE TEMP VIEW, SHOW TABLES, ...) run at once. Throws
  /// ParseException (line, position, caret) for text that does not parse and
  /// AnalysisException for an unknown table, column or function, before any job.
  DataFrame sql(const std::string& sqlText) const;
  /// The view or table `name` ("orders", "global_temp.orders").
  DataFrame table(const std::string& name) const;
  /// The session's views and tables.
  Catalog catalog() const { return Catalog(state_); }

  /// One BIGINT column `id`: 0 .. end-1.
  DataFrame range(int64_t end) const { return range(0, end); }
  /// `id` from start below end by step, in `numPartitions` partitions
  /// (0: the default parallelism).
  DataFrame range(int64_t start, int64_t end, int64_t step = 1, int numPartitions = 0) const;

  /// A DataFrame of `rows` with `schema`; each row's values must have the
  /// schema's types (or be null where it is nullable).
  DataFrame createDataFrame(const std::vector<Row>& rows, const StructType& schema) const;
  /// A DataFrame of tuples (or pairs) of bool, int32_t, int64_t, double,
  /// std::string or std::optional of those (null when empty), with the
  /// given column names.
  template <class Tuple>
  DataFrame createDataFrame(const std::vector<Tuple>& rows,
                            const std::vector<std::string>& names) const;
  /// A DataFrame of an RDD's tuples, typed as above; its partitions are
  /// the RDD's, whose records are read (a batch at a time) when a job runs.
  template <class Tuple>
  DataFrame createDataFrame(const Rdd<Tuple>& rdd, const std::vector<std::string>& names) const;

  /// What the session's DataFrames share, for ember's own layers.
  sql::SessionState& state() const { return *state_; }

 private:
  template <class Tuple>
  static StructType schemaOf(const std::vector<std::string>& names);
  DataFrame fromValues(std::vector<std::vector<sql::Value>> rows, const StructType& schema) const;
  DataFrame fromBatches(Rdd<sql::Batch> batches, const StructType& schema) const;

  std::shared_ptr<sql::SessionState> state_;
};

template <class Tuple>
StructType Session::schemaOf(const std::vector<std::string>& names) {
  constexpr size_t kFields = std::tuple_size_v<Tuple>;
  if (names.size() != kFields)
    throw AnalysisException("createDataFrame: " + std::to_string(names.size()) +
                            " column names for rows of " + std::to_string(kFields) + " fields");
  std::vector<StructField> fields;
  [&]<size_t... I>(std::index_sequence<I...>) {
    (fields.push_back(
         StructField{names[I], sql::TypeOfField<std::tuple_element_t<I, Tuple>>::get(), true}),
     ...);
  }
  (std::make_index_sequence<kFields>{});
  return StructType(std::move(fields));
}

template <class Tuple>
DataFrame Session::createDataFrame(const std::vector<Tuple>& rows,
                                   const std::vector<std::string>& names) const {
  StructType schema = schemaOf<Tuple>(names);
  std::vector<std::vector<sql::Value>> values;
  values.reserve(rows.size());
  for (const Tuple& t : rows) {
    std::apply([&](const auto&... x) { values.push_back({sql::valueOfField(x)...}); }, t);
  }
  return fromValues(std::move(values), schema);
}

namespace sql {

/// Appends each record's fields to the columns of batches of kBatchRows
/// rows, streaming a partition through.
template <class Tuple>
class TuplesToBatches {
 public:
  explicit TuplesToBatches(const std::vector<DataType>& types) : builder_(types) {}
  void operator()(std::vector<Tuple>& records, detail::Emitter<Batch>& out) {
    for (const Tuple& t : records) {
      size_t c = 0;
      std::apply(
          [&](const auto&... x) { (appendValue(builder_.column(c++), valueOfField(x)), ...); }, t);
      builder_.rowAppended();
      if (builder_.full()) out.emit(builder_.finish());
    }
  }
  void finish(detail::Emitter<Batch>& out) {
    if (builder_.rows() > 0) out.emit(builder_.finish());
  }

 private:
  BatchBuilder builder_;
};

}  // namespace sql

template <class Tuple>
DataFrame Session::createDataFrame(const Rdd<Tuple>& rdd,
                                   const std::vector<std::string>& names) const {
  StructType schema = schemaOf<Tuple>(names);
  std::vector<DataType> types;
  for (const StructField& f : schema.fields()) types.push_back(f.dataType);
  Rdd<sql::Batch> batches(detail::mapPartitionsNode<sql::Batch>(
      rdd.node(), "createDataFrame", [types](int) { return sql::TuplesToBatches<Tuple>(types); }));
  return fromBatches(std::move(batches), schema);
}

}  // namespace ember

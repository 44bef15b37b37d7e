#pragma once
// Parsing one field's text as a SQL value, strictly, as Spark's CSV and
// JSON readers do (Java's Integer.parseInt, Double.parseDouble, ...): " 5"
// and "5.0" are not INTs; the converters of every reader share these.

#include <cstdint>
#include <optional>
#include <string_view>

#include "sql/io/read_options.hpp"
#include "sql/types/data_type.hpp"

namespace ember::sql {

std::optional<int32_t> parseIntField(std::string_view s);
std::optional<int64_t> parseLongField(std::string_view s);
/// Also "NaN", "Infinity", "-Infinity", "Inf", "-Inf".
std::optional<double> parseDoubleField(std::string_view s);
/// "true" or "false", any case.
std::optional<bool> parseBooleanField(std::string_view s);
/// With the dateFormat option, or else Spark's lenient default (as CAST).
std::optional<int32_t> parseDateField(std::string_view s, const ReadOptions& o);
std::optional<int64_t> parseTimestampField(std::string_view s, const ReadOptions& o);

/// The type Spark's CSV inference gives one field (never NULL: the caller
/// skips null and empty fields): INT, BIGINT, DECIMAL(p,0) for larger
/// integers, DOUBLE, DATE (prefersDate), TIMESTAMP, BOOLEAN, else STRING.
DataType inferFieldType(std::string_view s, const ReadOptions& o);
/// The type two inferred types of one column widen to (Spark's
/// compatibleType): numbers widen, DATE meets TIMESTAMP as TIMESTAMP, NULL
/// gives the other, anything else is STRING.
DataType widerInferredType(DataType a, DataType b);

}  // namespace ember::sql

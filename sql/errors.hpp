#pragma once
// The errors of the DataFrame and SQL layer, named as Spark names them.

#include <string>

#include "common/error.hpp"

namespace ember {

/// A query that cannot be resolved: an unknown column or table, a type
/// mismatch, a function given the wrong argument. Thrown when the
/// DataFrame is defined, before any job runs, as Spark's is.
class AnalysisException : public Error {
 public:
  explicit AnalysisException(const std::string& what) : Error(what) {}
};

/// Text that does not parse: a DDL schema, a type name, later SQL.
class ParseException : public Error {
 public:
  explicit ParseException(const std::string& what) : Error(what) {}
};

}  // namespace ember

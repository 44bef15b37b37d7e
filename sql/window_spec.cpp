#include "sql/window_spec.hpp"

namespace ember {
namespace {

std::vector<sql::ExprPtr> exprsOf(const std::vector<Column>& columns) {
  std::vector<sql::ExprPtr> out;
  for (const Column& c : columns) out.push_back(c.expr());
  return out;
}

std::vector<Column> columnsNamed(const std::vector<std::string>& names) {
  std::vector<Column> out;
  for (const std::string& n : names) out.push_back(functions::col(n));
  return out;
}

}  // namespace

WindowSpec WindowSpec::partitionBy(const std::vector<Column>& columns) const {
  WindowSpec s = *this;
  s.partition_ = exprsOf(columns);
  return s;
}

WindowSpec WindowSpec::partitionBy(const std::vector<std::string>& names) const {
  return partitionBy(columnsNamed(names));
}

WindowSpec WindowSpec::orderBy(const std::vector<Column>& columns) const {
  WindowSpec s = *this;
  s.orders_ = exprsOf(columns);
  return s;
}

WindowSpec WindowSpec::orderBy(const std::vector<std::string>& names) const {
  return orderBy(columnsNamed(names));
}

WindowSpec WindowSpec::framed(sql::WindowFrame::Type type, int64_t start, int64_t end) const {
  WindowSpec s = *this;
  s.frame_ = sql::WindowFrame{type, start, end, true};
  return s;
}

WindowSpec WindowSpec::rowsBetween(int64_t start, int64_t end) const {
  return framed(sql::WindowFrame::Type::kRows, start, end);
}

WindowSpec WindowSpec::rangeBetween(int64_t start, int64_t end) const {
  return framed(sql::WindowFrame::Type::kRange, start, end);
}

}  // namespace ember

#include "sql/planner/expression_binder.hpp"

#include <strings.h>

#include "sql/errors.hpp"
#include "sql/expression/conjuncts.hpp"
#include "sql/plan/expression_resolver.hpp"

namespace ember::sql {

namespace {

bool sameName(const std::string& a, const std::string& b) {
  return strcasecmp(a.c_str(), b.c_str()) == 0;
}

std::string displayName(const RelationColumn& c) {
  return c.qualifiers.empty() ? "`" + c.name + "`" : "`" + c.qualifiers[0] + "`.`" + c.name + "`";
}

bool qualifiedBy(const RelationColumn& c, const std::string& table) {
  if (table.empty()) return true;
  for (const std::string& q : c.qualifiers)
    if (sameName(q, table)) return true;
  return false;
}

std::vector<size_t> columnsNamed(const Scope& rel, const std::string& qualifier,
                                 const std::string& name) {
  // "db.t.x" is qualified by its table "t": ember's catalog has no databases
  // but Spark's default one.
  const size_t dot = qualifier.rfind('.');
  const std::string table = dot == std::string::npos ? qualifier : qualifier.substr(dot + 1);
  std::vector<size_t> found;
  for (size_t i = 0; i < rel.width(); ++i) {
    const RelationColumn& c = rel.columns[i];
    if (!c.hidden && sameName(c.name, name) && qualifiedBy(c, table)) found.push_back(i);
  }
  return found;
}

ExprPtr boundAt(const Scope& rel, size_t i, size_t offset) {
  ExprPtr b = boundColumn(rel.schema, i);
  return offset == 0 ? b : shiftColumns(b, -static_cast<int>(offset));
}

[[noreturn]] void unresolved(const std::string& name, const Scope& rel) {
  std::string visible;
  for (const RelationColumn& c : rel.columns)
    if (!c.hidden) visible += (visible.empty() ? "" : ", ") + displayName(c);
  throw AnalysisException(
      "[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter with name `" + name +
      "` cannot be resolved. Did you mean `" + closestName(name, rel.schema) +
      "`? The input columns are [" + visible + "].");
}

template <class Resolve>
ExprPtr bindWith(const ExprPtr& e, const Resolve& resolve) {
  if (e->resolved || e->kind == ExprKind::kSubquery) return e;
  if (e->kind == ExprKind::kColumn) return e->name == "*" ? e : resolve(e->name);
  if (e->children.empty()) return e;
  auto copy = std::make_shared<Expr>(*e);
  for (ExprPtr& c : copy->children) c = bindWith(c, resolve);
  return copy;
}

}  // namespace

int findColumn(const Scope& rel, const std::string& name) {
  const size_t dot = name.rfind('.');
  std::vector<size_t> found = dot == std::string::npos
                                  ? columnsNamed(rel, "", name)
                                  : columnsNamed(rel, name.substr(0, dot), name.substr(dot + 1));
  if (found.empty() && dot != std::string::npos) found = columnsNamed(rel, "", name);
  if (found.size() > 1) {
    std::string names;
    for (size_t i : found) names += (names.empty() ? "" : ", ") + displayName(rel.columns[i]);
    throw AnalysisException("[AMBIGUOUS_REFERENCE] Reference `" + name +
                            "` is ambiguous, could be: [" + names +
                            "]. Qualify it with its table's name or alias.");
  }
  return found.empty() ? -1 : static_cast<int>(found[0]);
}

ExprPtr bindNames(const ExprPtr& e, const Scope& rel) {
  return bindWith(e, [&](const std::string& name) {
    const int i = findColumn(rel, name);
    if (i < 0) unresolved(name, rel);
    return boundAt(rel, static_cast<size_t>(i), 0);
  });
}

ExprPtr bindCorrelated(const ExprPtr& e, const Scope& outer, const Scope& local, bool& usesOuter) {
  return bindWith(e, [&](const std::string& name) {
    if (const int i = findColumn(local, name); i >= 0)
      return boundAt(local, static_cast<size_t>(i), outer.width());
    const int j = findColumn(outer, name);
    if (j < 0) unresolved(name, local);
    usesOuter = true;
    return boundAt(outer, static_cast<size_t>(j), 0);
  });
}

std::vector<ExprPtr> expandStars(const std::vector<ExprPtr>& items, const Scope& rel) {
  std::vector<ExprPtr> out;
  for (const ExprPtr& item : items) {
    const bool star =
        item->kind == ExprKind::kColumn && (item->name == "*" || item->name.ends_with(".*"));
    if (!star) {
      out.push_back(item);
      continue;
    }
    const std::string qualifier = item->name.substr(0, item->name.size() - 1);
    const size_t before = out.size();
    for (size_t i = 0; i < rel.width(); ++i) {
      const RelationColumn& c = rel.columns[i];
      if (!c.hidden &&
          (item->name == "*" || qualifiedBy(c, qualifier.substr(0, qualifier.size() - 1))))
        out.push_back(boundAt(rel, i, 0));
    }
    if (out.size() == before && item->name != "*")
      throw AnalysisException("[CANNOT_RESOLVE_STAR_EXPAND] Cannot resolve `" + item->name +
                              "`: no table of the FROM clause is named `" +
                              qualifier.substr(0, qualifier.size() - 1) + "`.");
  }
  return out;
}

}  // namespace ember::sql

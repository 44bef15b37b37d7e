#include "sql/plan/generate.hpp"

#include "sql/errors.hpp"
#include "sql/plan/expression_resolver.hpp"

namespace ember::sql {

PlanPtr generate(const PlanPtr& child, const ExprPtr& generator, const std::string& name) {
  auto g = std::make_shared<LogicalPlan>();
  g->kind = PlanKind::kGenerate;
  g->children = {child};
  g->exprs = {generator};
  std::vector<StructField> fields = child->schema.fields();
  for (size_t i = 0; i < fields.size(); ++i) g->exprs.push_back(boundColumn(child->schema, i));
  fields.push_back(StructField{name, generator->type, true});
  g->schema = StructType(std::move(fields));
  return g;
}

bool isOuter(const Expr& generator) { return generator.name == "explode_outer"; }

void refuseGenerator(const Expr& e) {
  if (!hasGenerator(e)) return;
  throw AnalysisException(
      "[UNSUPPORTED_GENERATOR.OUTSIDE_SELECT] The generator is not supported: outside the SELECT "
      "clause, found: \"" +
      e.toString() + "\". Explode in a select() or withColumn() first.");
}

std::string generateString(const LogicalPlan& p) {
  // Spark prints explode_outer as explode with outer = true.
  const Expr& g = *p.exprs[0];
  return "Generate explode(" + g.children[0]->toString() + "), " + (isOuter(g) ? "true" : "false") +
         ", [" + p.schema[p.schema.size() - 1].name + "]";
}

}  // namespace ember::sql

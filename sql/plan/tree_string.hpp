#pragma once
// Spark's tree layout of plans: one node a line, each child under "+- "
// (the last) or ":- ", its subtree indented below it.

#include <string>

namespace ember::sql {

/// Appends `label(node)` and, below it, children(node)'s subtrees.
template <class Node, class Label, class Children>
void appendTree(const Node& node, const Label& label, const Children& children, std::string& out,
                const std::string& prefix = "", bool last = true, bool root = true) {
  out += root ? "" : prefix + (last ? "+- " : ":- ");
  out += label(node) + "\n";
  const std::string childPrefix = root ? "" : prefix + (last ? "   " : ":  ");
  const auto& kids = children(node);
  for (size_t i = 0; i < kids.size(); ++i)
    appendTree(*kids[i], label, children, out, childPrefix, i + 1 == kids.size(), false);
}

}  // namespace ember::sql

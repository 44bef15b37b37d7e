#pragma once
// JoinType: which rows a join keeps, named as Spark's `how` strings name them.

#include <cstdint>
#include <string>

namespace ember::sql {

enum class JoinType : uint8_t {
  kInner,
  kCross,
  kLeftOuter,
  kRightOuter,
  kFullOuter,
  kLeftSemi,  ///< left rows with a match, left columns only
  kLeftAnti,  ///< left rows without a match, left columns only
};

/// Spark's `how`: "inner", "cross", "left"/"leftouter"/"left_outer",
/// "right"/..., "full"/"outer"/"fullouter"/"full_outer", "semi"/"leftsemi"/
/// "left_semi", "anti"/"leftanti"/"left_anti" (case and '_' ignored);
/// throws AnalysisException for anything else, listing those.
JoinType joinTypeOf(const std::string& how);

/// As Spark's plans print it: "Inner", "LeftOuter", "LeftSemi", ...
const char* joinTypeName(JoinType type);

/// Whether the join's output has the right side's columns.
inline bool keepsRightColumns(JoinType t) {
  return t != JoinType::kLeftSemi && t != JoinType::kLeftAnti;
}
/// Whether rows of a side without a match are kept (null-padded).
inline bool keepsUnmatchedLeft(JoinType t) {
  return t == JoinType::kLeftOuter || t == JoinType::kFullOuter;
}
inline bool keepsUnmatchedRight(JoinType t) {
  return t == JoinType::kRightOuter || t == JoinType::kFullOuter;
}

}  // namespace ember::sql

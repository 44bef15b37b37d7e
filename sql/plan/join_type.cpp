#include "sql/plan/join_type.hpp"

#include <cctype>
#include <utility>

#include "sql/errors.hpp"

namespace ember::sql {

JoinType joinTypeOf(const std::string& how) {
  std::string key;
  for (char c : how)
    if (c != '_') key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static const std::pair<const char*, JoinType> kNames[] = {
      {"inner", JoinType::kInner},         {"cross", JoinType::kCross},
      {"left", JoinType::kLeftOuter},      {"leftouter", JoinType::kLeftOuter},
      {"right", JoinType::kRightOuter},    {"rightouter", JoinType::kRightOuter},
      {"full", JoinType::kFullOuter},      {"outer", JoinType::kFullOuter},
      {"fullouter", JoinType::kFullOuter}, {"semi", JoinType::kLeftSemi},
      {"leftsemi", JoinType::kLeftSemi},   {"anti", JoinType::kLeftAnti},
      {"leftanti", JoinType::kLeftAnti},
  };
  for (const auto& [name, type] : kNames)
    if (key == name) return type;
  throw AnalysisException("[UNSUPPORTED_JOIN_TYPE] Unsupported join type '" + how +
                          "'. Supported join types include: 'inner', 'outer', 'full', "
                          "'fullouter', 'full_outer', 'leftouter', 'left', 'left_outer', "
                          "'rightouter', 'right', 'right_outer', 'leftsemi', 'left_semi', "
                          "'semi', 'leftanti', 'left_anti', 'anti', 'cross'.");
}

const char* joinTypeName(JoinType type) {
  switch (type) {
    case JoinType::kInner:
      return "Inner";
    case JoinType::kCross:
      return "Cross";
    case JoinType::kLeftOuter:
      return "LeftOuter";
    case JoinType::kRightOuter:
      return "RightOuter";
    case JoinType::kFullOuter:
      return "FullOuter";
    case JoinType::kLeftSemi:
      return "LeftSemi";
    case JoinType::kLeftAnti:
      return "LeftAnti";
  }
  return "?";
}

}  // namespace ember::sql

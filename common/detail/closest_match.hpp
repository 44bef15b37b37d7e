#pragma once

#include <span>
#include <string>
#include <string_view>

namespace ember::detail {

/// The candidate nearest to `word` by edit distance, or "" when none is close
/// enough to be a plausible typo. Used for "did you mean ...?" hints.
std::string closestMatch(std::string_view word, std::span<const std::string_view> candidates);

}  // namespace ember::detail

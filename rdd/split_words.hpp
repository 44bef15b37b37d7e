#pragma once
// splitWords: the words of a line, as Python's str.split() finds them.

#include <string>
#include <string_view>
#include <vector>

namespace ember {

/// The maximal runs of non-whitespace characters of `line` (whitespace is
/// ASCII space, tab, newline, carriage return, vertical tab, form feed).
inline std::vector<std::string> splitWords(std::string_view line) {
  auto isSpace = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
  std::vector<std::string> words;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && isSpace(line[i])) ++i;
    size_t start = i;
    while (i < line.size() && !isSpace(line[i])) ++i;
    if (i > start) words.emplace_back(line.substr(start, i - start));
  }
  return words;
}

}  // namespace ember

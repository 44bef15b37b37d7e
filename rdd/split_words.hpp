#pragma once
// splitWords: the words of a line, as Python's str.split() finds them.

#include <array>
#include <cstddef>
#include <iterator>
#include <string>
#include <string_view>

namespace ember {

namespace detail {

/// ASCII whitespace as a table: one load per byte instead of a chain of
/// compares, which matters in the innermost loop of every word count.
inline constexpr std::array<bool, 256> kIsSpace = [] {
  std::array<bool, 256> table{};
  for (unsigned char c : {' ', '\t', '\n', '\v', '\f', '\r'}) table[c] = true;
  return table;
}();

inline bool isSpace(char c) { return kIsSpace[static_cast<unsigned char>(c)]; }

}  // namespace detail

/// The words of a line as a lazy range: each word is a std::string_view into
/// the line, and the range's value_type is std::string. So flatMap builds
/// each word's string once, in place in its output batch, with no vector of
/// words in between. The line must outlive the iteration (it does inside
/// flatMap); to keep the words, copy them: `std::vector<std::string>
/// v(words.begin(), words.end())`.
class WordRange {
 public:
  class iterator {
   public:
    using value_type = std::string;
    using reference = std::string_view;
    using difference_type = std::ptrdiff_t;
    using iterator_category = std::forward_iterator_tag;

    iterator() = default;
    iterator(const char* p, const char* end) : end_(end) { advance(p); }

    std::string_view operator*() const { return {start_, static_cast<size_t>(stop_ - start_)}; }
    iterator& operator++() {
      advance(stop_);
      return *this;
    }
    iterator operator++(int) {
      iterator old = *this;
      ++*this;
      return old;
    }
    friend bool operator==(const iterator& a, const iterator& b) { return a.start_ == b.start_; }

   private:
    void advance(const char* p) {
      while (p != end_ && detail::isSpace(*p)) ++p;
      start_ = p;
      while (p != end_ && !detail::isSpace(*p)) ++p;
      stop_ = p;
    }

    const char* start_ = nullptr;
    const char* stop_ = nullptr;
    const char* end_ = nullptr;
  };

  explicit WordRange(std::string_view line) : line_(line) {}
  iterator begin() const { return {line_.data(), line_.data() + line_.size()}; }
  iterator end() const { return {line_.data() + line_.size(), line_.data() + line_.size()}; }

 private:
  std::string_view line_;
};

/// The maximal runs of non-whitespace characters of `line` (whitespace is
/// ASCII space, tab, newline, carriage return, vertical tab, form feed).
inline WordRange splitWords(std::string_view line) { return WordRange(line); }

}  // namespace ember

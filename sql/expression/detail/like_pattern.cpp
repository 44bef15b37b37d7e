#include "sql/expression/detail/like_pattern.hpp"

namespace ember::sql::detail {

namespace {

/// Bytes of the UTF-8 code point that starts with `lead`.
size_t codePointBytes(unsigned char lead) {
  if (lead < 0xC0) return 1;
  if (lead < 0xE0) return 2;
  return lead < 0xF0 ? 3 : 4;
}

}  // namespace

LikePattern::LikePattern(std::string_view pattern) {
  segments_.emplace_back();
  for (size_t i = 0; i < pattern.size(); ++i) {
    Segment& seg = segments_.back();
    const char c = pattern[i];
    if (c == '%') {
      segments_.emplace_back();
      continue;
    }
    const bool escaped = c == '\\' && i + 1 < pattern.size();
    const bool wildcard = c == '_';
    seg.text += escaped ? pattern[++i] : c;
    seg.any.push_back(wildcard);
    seg.wildcards = seg.wildcards || wildcard;
  }
}

size_t LikePattern::endAt(std::string_view s, size_t at, const Segment& seg) {
  if (!seg.wildcards) {
    if (at > s.size() || s.size() - at < seg.text.size()) return std::string_view::npos;
    return s.compare(at, seg.text.size(), seg.text) == 0 ? at + seg.text.size()
                                                         : std::string_view::npos;
  }
  size_t p = at;
  for (size_t k = 0; k < seg.text.size(); ++k) {
    if (p >= s.size()) return std::string_view::npos;
    if (seg.any[k]) {
      p += codePointBytes(static_cast<unsigned char>(s[p]));
      if (p > s.size()) return std::string_view::npos;
    } else if (s[p++] != seg.text[k]) {
      return std::string_view::npos;
    }
  }
  return p;
}

size_t LikePattern::findFrom(std::string_view s, size_t from, const Segment& seg) {
  if (!seg.wildcards) {
    const size_t at = s.find(seg.text, from);
    return at == std::string_view::npos ? at : at + seg.text.size();
  }
  for (size_t at = from; at <= s.size(); ++at)
    if (const size_t end = endAt(s, at, seg); end != std::string_view::npos) return end;
  return std::string_view::npos;
}

bool LikePattern::endsWith(std::string_view s, size_t from, const Segment& seg) {
  if (!seg.wildcards) return s.size() >= from + seg.text.size() && s.ends_with(seg.text);
  for (size_t at = from; at <= s.size(); ++at)
    if (endAt(s, at, seg) == s.size()) return true;
  return false;
}

bool LikePattern::matches(std::string_view s) const {
  if (segments_.size() == 1) return endAt(s, 0, segments_[0]) == s.size();
  size_t pos = endAt(s, 0, segments_.front());
  if (pos == std::string_view::npos) return false;
  for (size_t i = 1; i + 1 < segments_.size(); ++i) {
    pos = findFrom(s, pos, segments_[i]);
    if (pos == std::string_view::npos) return false;
  }
  return endsWith(s, pos, segments_.back());
}

}  // namespace ember::sql::detail

#include "sql/execution/detail/group_lists.hpp"

#include "sql/execution/key_encoding.hpp"

namespace ember::sql {

GroupLists::GroupLists(DataType element, bool distinct) : distinct_(distinct), elements_(element) {}

void GroupLists::grow(size_t groups) {
  head_.resize(groups, kEnd);
  tail_.resize(groups, kEnd);
}

void GroupLists::add(uint32_t g, const ColumnVector& values, size_t i) {
  if (distinct_) {
    key_.assign(reinterpret_cast<const char*>(&g), sizeof g);
    appendKeyBytes(values, i, key_);
    if (!seen_.insert(key_).second) return;
  }
  const auto e = static_cast<uint32_t>(elements_.size());
  elements_.appendFrom(values, i);
  next_.push_back(kEnd);
  if (head_[g] == kEnd) {
    head_[g] = e;
  } else {
    next_[tail_[g]] = e;
  }
  tail_[g] = e;
}

ColumnPtr GroupLists::arrays(DataType arrayType, size_t from, size_t n) const {
  auto out = std::make_shared<ColumnVector>(arrayType);
  ColumnVector& elements = out->mutableElements();
  for (size_t g = from; g < from + n; ++g) {
    for (uint32_t e = head_[g]; e != kEnd; e = next_[e]) elements.appendFrom(elements_, e);
    out->endArray();
  }
  return out;
}

int64_t GroupLists::bytes() const {
  // A set's keys: the table's slot and the string (usually inline).
  const size_t keys = seen_.size() * (sizeof(std::string) + 8);
  return elements_.bytes() +
         static_cast<int64_t>((next_.capacity() + head_.capacity() + tail_.capacity()) * 4 + keys);
}

}  // namespace ember::sql

#include "sql/execution/key_index.hpp"

#include "sql/execution/key_encoding.hpp"

namespace ember::sql {
namespace {

int64_t integerValue(const ColumnVector& c, size_t i) {
  return c.physical() == Physical::kInt32 ? c.values<int32_t>()[i] : c.values<int64_t>()[i];
}

void keyBytes(const std::vector<ColumnPtr>& keys, size_t i, std::string& out) {
  out.clear();
  for (const ColumnPtr& k : keys) appendKeyBytes(*k, i, out);
}

}  // namespace

KeyIndex::KeyIndex(const std::vector<DataType>& keyTypes) {
  const Physical p = keyTypes.size() == 1 ? physicalOf(keyTypes[0]) : Physical::kString;
  integer_ = p == Physical::kInt32 || p == Physical::kInt64;
}

uint32_t& KeyIndex::slot(const std::vector<ColumnPtr>& keys, size_t i, uint32_t initial) {
  if (!integer_) {
    keyBytes(keys, i, scratch_);
    return byBytes_.try_emplace(scratch_, initial).first->second;
  }
  if (keys[0]->isNull(i)) {
    if (!hasNull_) nullSlot_ = initial;
    hasNull_ = true;
    return nullSlot_;
  }
  return byInteger_.findOrInsert(integerValue(*keys[0], i), initial);
}

uint32_t KeyIndex::find(const std::vector<ColumnPtr>& keys, size_t i, std::string& scratch) const {
  if (!integer_) {
    keyBytes(keys, i, scratch);
    auto it = byBytes_.find(scratch);
    return it == byBytes_.end() ? kMissing : it->second;
  }
  if (keys[0]->isNull(i)) return hasNull_ ? nullSlot_ : kMissing;
  return byInteger_.find(integerValue(*keys[0], i));
}

void KeyIndex::prefetch(const std::vector<ColumnPtr>& keys, size_t i) const {
  if (integer_) byInteger_.prefetch(integerValue(*keys[0], i));
}

}  // namespace ember::sql

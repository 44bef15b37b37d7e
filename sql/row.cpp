#include "sql/row.hpp"

#include "common/error.hpp"
#include "sql/expression/decimal.hpp"

namespace ember {
void Row::wrongType(size_t i, const char* wanted) const {
  const sql::Value& v = values_.at(i);
  const std::string field = schema_ && i < schema_->size() ? "'" + (*schema_)[i].name + "' " : "";
  if (v.isNull()) throw Error("Row: field " + std::to_string(i) + " " + field + "is null");
  throw Error("Row: field " + std::to_string(i) + " " + field + "is " + v.type.sqlName() +
              ", not " + wanted);
}

int64_t Row::getLong(size_t i) const {
  const sql::Value& v = values_.at(i);
  if (!v.isNull() && v.type.id() == TypeId::kInt) return std::get<int32_t>(v.v);
  return get<int64_t>(i, TypeId::kBigInt);
}

double Row::getDouble(size_t i) const {
  const sql::Value& v = values_.at(i);
  if (v.isNull()) wrongType(i, "DOUBLE");
  switch (v.type.id()) {
    case TypeId::kDouble:
      return std::get<double>(v.v);
    case TypeId::kInt:
      return std::get<int32_t>(v.v);
    case TypeId::kBigInt:
      return static_cast<double>(std::get<int64_t>(v.v));
    case TypeId::kDecimal: {
      const sql::Int128 u =
          v.type.isWideDecimal() ? std::get<sql::Int128>(v.v) : std::get<int64_t>(v.v);
      return static_cast<double>(u) / static_cast<double>(sql::pow10(v.type.scale()));
    }
    default:
      wrongType(i, "DOUBLE");
  }
}

std::string Row::getString(size_t i) const {
  const sql::Value& v = values_.at(i);
  if (v.isNull()) wrongType(i, "STRING");
  return v.toString();
}

std::string Row::getDecimal(size_t i) const {
  const sql::Value& v = values_.at(i);
  if (v.isNull() || v.type.id() != TypeId::kDecimal) wrongType(i, "DECIMAL");
  return v.toString();
}

const std::vector<sql::Value>& Row::getList(size_t i) const {
  const sql::Value& v = values_.at(i);
  if (v.isNull() || !v.type.isArray()) wrongType(i, "ARRAY");
  return std::get<sql::Value::List>(v.v);
}

size_t Row::fieldIndex(const std::string& name) const {
  if (schema_) {
    if (auto i = schema_->find(name)) return *i;
  }
  throw Error("Row: no field named '" + name + "'" +
              (schema_ ? " among " + schema_->simpleString() : ""));
}

std::string Row::toString() const {
  std::string out = "[";
  for (size_t i = 0; i < values_.size(); ++i) out += (i ? "," : "") + values_[i].toString();
  return out + "]";
}

void Row::writeTo(ByteWriter& w) const {
  serialize(w, schema_ ? schema_->toDDL() : std::string());
  w.writeVarint(values_.size());
  for (const sql::Value& v : values_) v.writeTo(w);
}

void Row::readFrom(ByteReader& r) {
  std::string ddl;
  deserialize(r, ddl);
  schema_ = std::make_shared<const StructType>(StructType::fromDDL(ddl));
  const size_t n = r.readCount(5);
  values_.assign(n, sql::Value{});
  for (sql::Value& v : values_) v.readFrom(r);
  if (!ddl.empty() && schema_->size() != values_.size())
    r.fail("a row of " + std::to_string(values_.size()) + " values for a schema of " +
           std::to_string(schema_->size()) + " fields");
}

}  // namespace ember

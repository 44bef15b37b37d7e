#include "sql/plan/file_scan.hpp"

namespace ember::sql {
namespace {

std::string columnList(const FileScan& scan) {
  std::string cols;
  for (size_t i = 0; i < scan.required.size(); ++i)
    cols += (i ? ", " : "") + scan.dataSchema[scan.required[i]].name;
  return "[" + cols + "]";
}

}  // namespace

StructType FileScan::requiredSchema() const {
  std::vector<StructField> fields;
  for (size_t i : required) fields.push_back(dataSchema[i]);
  return StructType(std::move(fields));
}

std::string FileScan::corruptColumn() const {
  const auto it = options.find("columnnameofcorruptrecord");
  return it == options.end() ? kDefaultCorruptColumn : it->second;
}

int64_t FileScan::totalBytes() const {
  int64_t bytes = 0;
  for (const detail::FileSplit& s : splits) bytes += s.length;
  return bytes;
}

std::string FileScan::nodeString() const { return "Relation " + columnList(*this) + " " + format; }

std::string FileScan::physicalString() const {
  return "FileScan " + format + " " + columnList(*this) + " Location: " + path +
         ", ReadSchema: " + requiredSchema().simpleString();
}

}  // namespace ember::sql

#pragma once
// JsonParser: one JSON object a line (JSON lines) into the scan's columns,
// as Spark's JSON reader; nested objects and arrays are kept as their JSON
// text (in a STRING column).

#include <deque>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sql/io/csv_parser.hpp"
#include "sql/io/read_options.hpp"
#include "sql/io/record_builder.hpp"

namespace ember::sql {

enum class JsonKind : uint8_t { kString, kNumber, kTrue, kFalse, kNull, kNested };

/// A member's value: a string's content unescaped, or the value's text.
struct JsonValue {
  JsonKind kind = JsonKind::kNull;
  std::string_view text;
  bool integral = false;  ///< kNumber without fraction or exponent
};

/// Walks the members of one object, in order. Not thread-safe.
class JsonObjectReader {
 public:
  /// Starts at `line`; false when it does not begin an object.
  bool begin(std::string_view line);
  /// The next member: 1, or 0 at the end of the object (only blanks may
  /// follow it), or -1 when the text is not valid JSON. Views stay valid
  /// until the next begin().
  int next(std::string_view& key, JsonValue& value);

 private:
  void skipBlanks();
  bool string(std::string& scratch, std::string_view& out);
  bool value(JsonValue& v, size_t index);
  bool number(JsonValue& v);
  bool nested();

  std::string_view s_;
  size_t pos_ = 0;
  size_t members_ = 0;
  std::string key_;
  std::deque<std::string> strings_;  ///< per member, reused; views survive growth
};

/// Parses lines into a RecordBuilder of the scan's required columns;
/// members the plan does not read are skipped unconverted.
class JsonParser {
 public:
  JsonParser(const StructType& dataSchema, const std::vector<size_t>& required,
             const ReadOptions& options);

  ParseFailure parse(std::string_view line, RecordBuilder& out);

 private:
  bool convert(size_t slot, const JsonValue& v, RecordBuilder& out);

  std::vector<std::string> names_;  ///< of the builder's columns; the map's keys view them
  std::unordered_map<std::string_view, size_t> slots_;
  JsonObjectReader reader_;
};

/// Spark's JSON schema inference, a line at a time: each member's type
/// widens with each value; the keys come out sorted, as Spark orders them.
class JsonSchemaInference {
 public:
  /// A non-blank line; false (and corrupt() from now on) when it is not
  /// an object, whose members then do not count.
  bool add(std::string_view line);
  const std::map<std::string, DataType>& types() const { return types_; }
  bool corrupt() const { return corrupt_; }

 private:
  JsonObjectReader reader_;
  std::vector<std::pair<std::string, DataType>> line_;  ///< reused, line after line
  size_t members_ = 0;
  std::map<std::string, DataType> types_;
  bool corrupt_ = false;
};

}  // namespace ember::sql

#include "sql/io/read_options.hpp"

#include <strings.h>

#include <filesystem>

#include "sql/errors.hpp"
#include "sql/types/value.hpp"

namespace ember::sql {
namespace {

/// One character; Spark also takes "\t" written as two characters.
char charOption(const SourceOptions& options, const std::string& key, char fallback) {
  const auto it = options.find(key);
  if (it == options.end()) return fallback;
  const std::string& v = it->second;
  if (v.size() == 1) return v[0];
  if (v == "\\t") return '\t';
  if (v.empty() && key == "quote") return '\0';  // Spark: an empty quote turns quoting off
  throw AnalysisException("[INVALID_OPTION] option '" + key + "' must be one character, not '" + v +
                          "'");
}

ParseMode modeOption(const SourceOptions& options) {
  const std::string m = optionOr(options, "mode", "PERMISSIVE");
  if (strcasecmp(m.c_str(), "PERMISSIVE") == 0) return ParseMode::kPermissive;
  if (strcasecmp(m.c_str(), "DROPMALFORMED") == 0) return ParseMode::kDropMalformed;
  if (strcasecmp(m.c_str(), "FAILFAST") == 0) return ParseMode::kFailFast;
  throw AnalysisException("[INVALID_OPTION] mode '" + m +
                          "' is not one of PERMISSIVE, DROPMALFORMED, FAILFAST");
}

std::optional<DateTimePattern> patternOption(const SourceOptions& options, const std::string& key) {
  const auto it = options.find(key);
  if (it == options.end()) return std::nullopt;
  return DateTimePattern(it->second);
}

}  // namespace

std::string optionOr(const SourceOptions& options, const std::string& key,
                     const std::string& fallback) {
  const auto it = options.find(key);
  return it == options.end() ? fallback : it->second;
}

bool booleanOption(const SourceOptions& options, const std::string& key, bool fallback) {
  const auto it = options.find(key);
  if (it == options.end()) return fallback;
  if (strcasecmp(it->second.c_str(), "true") == 0) return true;
  if (strcasecmp(it->second.c_str(), "false") == 0) return false;
  throw AnalysisException("[INVALID_OPTION] option '" + key + "' must be true or false, not '" +
                          it->second + "'");
}

std::string lowerCase(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string optionText(bool value) { return value ? "true" : "false"; }
std::string optionText(int64_t value) { return std::to_string(value); }
std::string optionText(double value) { return formatDouble(value); }

std::string qualifiedPath(const std::string& path) {
  std::error_code ec;
  return "file:" + std::filesystem::absolute(path, ec).lexically_normal().string();
}

ReadOptions ReadOptions::parse(const SourceOptions& options) {
  ReadOptions o;
  o.mode = modeOption(options);
  o.corruptColumn = optionOr(options, "columnnameofcorruptrecord", o.corruptColumn);
  o.sep = charOption(options, options.contains("sep") ? "sep" : "delimiter", ',');
  o.quote = charOption(options, "quote", '"');
  o.escape = charOption(options, "escape", '\\');
  o.nullValue = optionOr(options, "nullvalue", "");
  o.emptyValue = optionOr(options, "emptyvalue", "");
  o.header = booleanOption(options, "header", false);
  o.inferSchema = booleanOption(options, "inferschema", false);
  o.prefersDate = booleanOption(options, "prefersdate", true);
  o.dateFormat = patternOption(options, "dateformat");
  o.timestampFormat = patternOption(options, "timestampformat");
  return o;
}

}  // namespace ember::sql

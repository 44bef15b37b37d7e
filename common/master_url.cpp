#include "common/master_url.hpp"

#include <charconv>
#include <thread>

#include "common/error.hpp"

namespace ember {
namespace {

[[noreturn]] void badMaster(std::string_view text) {
  throw ConfigError(
      "invalid master '" + std::string(text) +
      "': expected local, local[N], local[*] or local[N,F] (N threads, F attempts per task), or "
      "local-cluster[P,C] (P processes of C cores)");
}

int parseCount(std::string_view text, std::string_view whole, bool allowStar) {
  if (allowStar && text == "*")
    return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  int v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v <= 0) badMaster(whole);
  return v;
}

}  // namespace

MasterUrl MasterUrl::parse(std::string_view text) {
  MasterUrl url;
  if (text == "local") return url;
  constexpr std::string_view kCluster = "local-cluster[";
  if (text.starts_with(kCluster) && text.ends_with("]")) {
    std::string_view inside = text.substr(kCluster.size(), text.size() - kCluster.size() - 1);
    const auto comma = inside.find(',');
    if (comma == std::string_view::npos) badMaster(text);
    url.processes = parseCount(inside.substr(0, comma), text, false);
    url.cores = parseCount(inside.substr(comma + 1), text, false);
    return url;
  }
  constexpr std::string_view kPrefix = "local[";
  if (!text.starts_with(kPrefix) || !text.ends_with("]")) badMaster(text);
  std::string_view inside = text.substr(kPrefix.size(), text.size() - kPrefix.size() - 1);
  auto comma = inside.find(',');
  url.cores = parseCount(inside.substr(0, comma), text, true);
  if (comma != std::string_view::npos)
    url.maxTaskAttempts = parseCount(inside.substr(comma + 1), text, false);
  return url;
}

}  // namespace ember

#include "cli/sync_progress.hpp"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace reos::cli {

std::string with_thousands(long long n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

std::string progress_line(const SyncCounts& c, double elapsed_s, int width) {
  const double rate = elapsed_s > 0 ? static_cast<double>(c.fetched) / elapsed_s : 0;
  std::string tail = "  " + with_thousands(c.fetched);
  if (c.total) tail += "/" + with_thousands(*c.total);
  tail += "  " + with_thousands(static_cast<long long>(rate)) + " rec/s  " +
          with_thousands(c.pages) + (c.pages == 1 ? " page" : " pages");
  if (c.total && rate > 0 && *c.total >= c.fetched) {
    const long long eta = static_cast<long long>(static_cast<double>(*c.total - c.fetched) / rate);
    char buf[32];
    std::snprintf(buf, sizeof buf, "  ETA %lld:%02lld", eta / 60, eta % 60);
    tail += buf;
  }
  if (!c.total || *c.total <= 0)
    return tail.substr(0, static_cast<std::size_t>(std::max(0, width)));
  const int bar = std::max(10, std::min(40, width - static_cast<int>(tail.size()) - 2));
  const double done = std::min(1.0, static_cast<double>(c.fetched) / static_cast<double>(*c.total));
  const int filled = static_cast<int>(done * bar);
  std::string line = "[" + std::string(static_cast<std::size_t>(filled), '#') +
                     std::string(static_cast<std::size_t>(bar - filled), '.') + "]" + tail;
  return line.substr(0, static_cast<std::size_t>(std::max(0, width)));
}

std::optional<long long> announced_total(const std::string& metrics_text, const std::string& tenant,
                                         const std::string& connector) {
  std::istringstream lines(metrics_text);
  const std::string tenant_label = "tenant=\"" + tenant + "\"";
  const std::string connector_label = "connector=\"" + connector + "\"";
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("reos_plugin_", 0) != 0) continue;
    const std::size_t brace = line.find('{');
    if (brace == std::string::npos || brace < 15 ||
        line.compare(brace - 15, 15, "_search_matches") != 0)
      continue;
    if (line.find(tenant_label) == std::string::npos ||
        line.find(connector_label) == std::string::npos)
      continue;
    const std::size_t space = line.rfind(' ');
    try {
      return static_cast<long long>(std::stod(line.substr(space + 1)));
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

}  // namespace reos::cli

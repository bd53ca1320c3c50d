#pragma once

// A deliberately strict reader of the Prometheus text exposition format 0.0.4, used to check
// what /metrics serves: anything Prometheus itself might tolerate but we never mean to emit
// (blank lines, stray comments, trailing commas, unknown escapes) is an error here.

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace reos::test {

struct PromSample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

struct PromFamily {
  std::string help;
  std::string type;
};

struct PromExposition {
  std::map<std::string, PromFamily> families;
  std::vector<PromSample> samples;

  /// Value of the sample with exactly these labels, if present.
  std::optional<double> value(const std::string& name,
                              const std::map<std::string, std::string>& labels = {}) const;
};

/// Parses `text`; returns "" on success, else "line N: what is wrong".
std::string parse_prometheus_text(const std::string& text, PromExposition& out);

/// Checks every histogram family: per series, `le` ascending and ending at +Inf, cumulative
/// counts non-decreasing, _count == the +Inf bucket, _sum present. Returns "" when fine.
std::string check_histograms(const PromExposition& exp);

}  // namespace reos::test

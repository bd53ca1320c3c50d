#include "http/metrics_registry.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

#include "log/logger.hpp"

namespace reos::http {
namespace {

void atomic_add(std::atomic<double>& target, double by) {
  double current = target.load(std::memory_order_relaxed);
  while (!target.compare_exchange_weak(current, current + by, std::memory_order_relaxed)) {
  }
}

bool valid_metric_name(const std::string& s) {
  if (s.empty()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

bool valid_label_name(const std::string& s) {
  if (s.empty() || s.rfind("__", 0) == 0) return false;  // "__" prefix is Prometheus-internal
  return valid_metric_name(s) && s.find(':') == std::string::npos;
}

std::string format_value(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v);  // shortest round-trip form
  return std::string(buf, res.ptr);
}

std::string escape_help(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else
      out.push_back(c);
  }
  return out;
}

void append_labels(std::string& out, const std::vector<std::string>& names,
                   const std::vector<std::string>& values, const char* extra_name = nullptr,
                   const std::string& extra_value = "") {
  if (names.empty() && !extra_name) return;
  out.push_back('{');
  bool first = true;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (!first) out.push_back(',');
    first = false;
    out += names[i];
    out += "=\"";
    out += escape_label_value(values[i]);
    out.push_back('"');
  }
  if (extra_name) {
    if (!first) out.push_back(',');
    out += extra_name;
    out += "=\"";
    out += escape_label_value(extra_value);
    out.push_back('"');
  }
  out.push_back('}');
}

}  // namespace

std::string escape_label_value(const std::string& v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out.push_back(c);
  }
  return out;
}

const std::vector<double>& default_latency_buckets() {
  static const std::vector<double> b{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10};
  return b;
}

void Counter::inc(double by) {
  if (!(by >= 0)) return;  // also rejects NaN
  atomic_add(value_, by);
}

void Gauge::inc(double by) {
  atomic_add(value_, by);
}

Histogram::Histogram(std::vector<double> upper_bounds) : bounds_(std::move(upper_bounds)) {
  for (std::size_t i = 0; i < bounds_.size(); ++i) {
    if (!std::isfinite(bounds_[i]) || (i > 0 && bounds_[i] <= bounds_[i - 1]))
      throw std::invalid_argument("metrics: histogram bounds must be finite and increasing");
  }
  buckets_ = std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1);
}

void Histogram::observe(double v) {
  // le semantics: a value equal to a bound belongs to that bound's bucket.
  auto idx = static_cast<std::size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), v) -
                                      bounds_.begin());
  buckets_[idx].fetch_add(1, std::memory_order_relaxed);
  atomic_add(sum_, v);
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot s;
  s.upper_bounds = bounds_;
  std::uint64_t running = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    s.cumulative.push_back(running);
  }
  s.count = running;
  s.sum = sum_.load(std::memory_order_relaxed);
  return s;
}

struct MetricsRegistry::Entry {
  struct Callback {
    std::uint64_t id;
    std::vector<std::string> label_values;
    std::function<double()> fn;
  };
  std::string name;
  std::string help;
  std::string type;  // counter | gauge | histogram
  std::vector<std::string> label_names;
  std::unique_ptr<Family<Counter>> counters;
  std::unique_ptr<Family<Gauge>> gauges;
  std::unique_ptr<Family<Histogram>> histograms;
  std::vector<double> bounds;
  std::vector<Callback> callbacks;  // gauge families fed at scrape time
};

MetricsRegistry::MetricsRegistry() = default;
MetricsRegistry::~MetricsRegistry() = default;

MetricsRegistry::Entry& MetricsRegistry::entry_for(const std::string& name, const std::string& help,
                                                   const char* type,
                                                   const std::vector<std::string>& label_names) {
  if (!valid_metric_name(name))
    throw std::invalid_argument("metrics: invalid metric name '" + name + "'");
  std::set<std::string> seen;
  for (const auto& l : label_names) {
    if (!valid_label_name(l) || !seen.insert(l).second ||
        (l == "le" && std::string(type) == "histogram"))
      throw std::invalid_argument("metrics: invalid or repeated label name '" + l + "' on " + name);
  }
  auto& slot = entries_[name];
  if (slot) {
    if (slot->type != type || slot->label_names != label_names)
      throw std::invalid_argument("metrics: '" + name +
                                  "' is already registered with another type or labels");
    return *slot;
  }
  slot = std::make_unique<Entry>();
  slot->name = name;
  slot->help = help;
  slot->type = type;
  slot->label_names = label_names;
  return *slot;
}

Family<Counter>& MetricsRegistry::counter(const std::string& name, const std::string& help,
                                          std::vector<std::string> label_names) {
  std::lock_guard lock(mutex_);
  auto& e = entry_for(name, help, "counter", label_names);
  if (!e.counters) {
    e.counters = std::make_unique<Family<Counter>>(std::move(label_names),
                                                   [] { return std::make_unique<Counter>(); });
    if (e.label_names.empty()) e.counters->with({});
  }
  return *e.counters;
}

Family<Gauge>& MetricsRegistry::gauge(const std::string& name, const std::string& help,
                                      std::vector<std::string> label_names) {
  std::lock_guard lock(mutex_);
  auto& e = entry_for(name, help, "gauge", label_names);
  if (!e.callbacks.empty())
    throw std::invalid_argument("metrics: '" + name + "' is fed by callbacks");
  if (!e.gauges) {
    e.gauges = std::make_unique<Family<Gauge>>(std::move(label_names),
                                               [] { return std::make_unique<Gauge>(); });
    if (e.label_names.empty()) e.gauges->with({});
  }
  return *e.gauges;
}

Family<Histogram>& MetricsRegistry::histogram(const std::string& name, const std::string& help,
                                              std::vector<std::string> label_names,
                                              std::vector<double> upper_bounds) {
  Histogram probe(upper_bounds);  // validates the bounds before anything is registered
  std::lock_guard lock(mutex_);
  auto& e = entry_for(name, help, "histogram", label_names);
  if (e.histograms) {
    if (e.bounds != upper_bounds)
      throw std::invalid_argument("metrics: '" + name +
                                  "' is already registered with other buckets");
    return *e.histograms;
  }
  e.bounds = upper_bounds;
  e.histograms = std::make_unique<Family<Histogram>>(
      std::move(label_names),
      [b = std::move(upper_bounds)] { return std::make_unique<Histogram>(b); });
  if (e.label_names.empty()) e.histograms->with({});
  return *e.histograms;
}

std::uint64_t MetricsRegistry::add_gauge_callback(const std::string& name, const std::string& help,
                                                  Labels labels, std::function<double()> fn) {
  if (!fn) throw std::invalid_argument("metrics: empty gauge callback for '" + name + "'");
  std::vector<std::string> names;
  std::vector<std::string> values;
  for (auto& [k, v] : labels) {
    names.push_back(k);
    values.push_back(v);
  }
  std::lock_guard lock(mutex_);
  auto& e = entry_for(name, help, "gauge", names);
  if (e.gauges) throw std::invalid_argument("metrics: '" + name + "' is a plain gauge");
  for (const auto& cb : e.callbacks) {
    if (cb.label_values == values)
      throw std::invalid_argument("metrics: duplicate gauge callback series for '" + name + "'");
  }
  std::uint64_t id = next_callback_id_++;
  e.callbacks.push_back({id, std::move(values), std::move(fn)});
  return id;
}

void MetricsRegistry::remove_gauge_callback(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  for (auto& [name, e] : entries_) {
    auto it = std::find_if(e->callbacks.begin(), e->callbacks.end(),
                           [id](const Entry::Callback& cb) { return cb.id == id; });
    if (it != e->callbacks.end()) {
      e->callbacks.erase(it);
      return;
    }
  }
}

std::string MetricsRegistry::render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& [name, e] : entries_) {
    out += "# HELP " + name + " " + escape_help(e->help) + "\n";
    out += "# TYPE " + name + " " + e->type + "\n";
    auto sample = [&](const std::string& sample_name, const std::vector<std::string>& values,
                      double v, const char* extra_name = nullptr,
                      const std::string& extra_value = "") {
      out += sample_name;
      append_labels(out, e->label_names, values, extra_name, extra_value);
      out.push_back(' ');
      out += format_value(v);
      out.push_back('\n');
    };
    if (e->counters) {
      e->counters->for_each(
          [&](const auto& values, const Counter& c) { sample(name, values, c.value()); });
    }
    if (e->gauges) {
      e->gauges->for_each(
          [&](const auto& values, const Gauge& g) { sample(name, values, g.value()); });
    }
    for (const auto& cb : e->callbacks) {
      double v;
      try {
        v = cb.fn();
      } catch (const std::exception& ex) {
        log::warn("metrics: gauge callback failed", {{"metric", name}, {"error", ex.what()}});
        continue;
      } catch (...) {
        log::warn("metrics: gauge callback failed", {{"metric", name}});
        continue;
      }
      sample(name, cb.label_values, v);
    }
    if (e->histograms) {
      e->histograms->for_each([&](const auto& values, const Histogram& h) {
        auto s = h.snapshot();
        for (std::size_t i = 0; i < s.upper_bounds.size(); ++i) {
          sample(name + "_bucket", values, static_cast<double>(s.cumulative[i]), "le",
                 format_value(s.upper_bounds[i]));
        }
        sample(name + "_bucket", values, static_cast<double>(s.count), "le", "+Inf");
        sample(name + "_sum", values, s.sum);
        sample(name + "_count", values, static_cast<double>(s.count));
      });
    }
  }
  return out;
}

}  // namespace reos::http

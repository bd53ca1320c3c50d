#pragma once

// A small Prometheus registry for the host's own metrics. The hot path (a request bumping a
// counter and observing a histogram) costs one shared-lock map lookup per family plus
// relaxed atomics; the exclusive registry lock is only taken to register and to scrape.

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace reos::http {

/// A monotonically increasing value.
class Counter {
 public:
  /// Negative or NaN increments are ignored: a counter that goes down breaks rate().
  void inc(double by = 1.0);
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

/// A value that goes up and down.
class Gauge {
 public:
  void set(double v) { value_.store(v, std::memory_order_relaxed); }
  void inc(double by = 1.0);
  void dec(double by = 1.0) { inc(-by); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

/// Fixed-bucket histogram; the +Inf bucket is implicit.
class Histogram {
 public:
  /// `upper_bounds` must be finite and strictly increasing (std::invalid_argument otherwise).
  explicit Histogram(std::vector<double> upper_bounds);
  void observe(double v);

  struct Snapshot {
    std::vector<double> upper_bounds;       ///< without +Inf
    std::vector<std::uint64_t> cumulative;  ///< one per bound, then +Inf (== count)
    double sum = 0;
    std::uint64_t count = 0;
  };
  /// Consistent in itself (count equals the +Inf bucket) even while others observe.
  Snapshot snapshot() const;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // per bucket, not cumulative
  std::atomic<double> sum_{0.0};
};

/// All series of one metric name, keyed by label values (in the family's label-name order).
template <class Metric>
class Family {
 public:
  using Factory = std::function<std::unique_ptr<Metric>()>;
  Family(std::vector<std::string> label_names, Factory factory)
      : label_names_(std::move(label_names)), factory_(std::move(factory)) {}

  /// The series for these label values, created on first use. The reference stays valid for
  /// the registry's lifetime, so callers on hot paths may cache it. Throws
  /// std::invalid_argument when the number of values differs from the label names.
  Metric& with(const std::vector<std::string>& label_values) {
    {
      std::shared_lock lock(mutex_);
      auto it = series_.find(label_values);
      if (it != series_.end()) return *it->second;
    }
    if (label_values.size() != label_names_.size())
      throw std::invalid_argument("metrics: expected " + std::to_string(label_names_.size()) +
                                  " label values, got " + std::to_string(label_values.size()));
    std::unique_lock lock(mutex_);
    auto& slot = series_[label_values];
    if (!slot) slot = factory_();
    return *slot;
  }

  const std::vector<std::string>& label_names() const { return label_names_; }

  /// Calls fn(label_values, metric) for each series in label order.
  template <class Fn>
  void for_each(Fn&& fn) const {
    std::shared_lock lock(mutex_);
    for (const auto& [values, metric] : series_) fn(values, *metric);
  }

 private:
  std::vector<std::string> label_names_;
  Factory factory_;
  mutable std::shared_mutex mutex_;
  std::map<std::vector<std::string>, std::unique_ptr<Metric>> series_;
};

/// The process's metric families, rendered for `GET /metrics`. Thread-safe.
class MetricsRegistry {
 public:
  using Labels = std::vector<std::pair<std::string, std::string>>;

  MetricsRegistry();
  ~MetricsRegistry();
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;

  /// Registers (or returns the already registered) family. Registering a name again with the
  /// same type and label names is allowed and returns the same family; anything else — a bad
  /// name, another type, other labels, other buckets — throws std::invalid_argument.
  /// A family without labels gets its single series at once, so it renders as 0 before use.
  Family<Counter>& counter(const std::string& name, const std::string& help,
                           std::vector<std::string> label_names = {});
  Family<Gauge>& gauge(const std::string& name, const std::string& help,
                       std::vector<std::string> label_names = {});
  Family<Histogram>& histogram(const std::string& name, const std::string& help,
                               std::vector<std::string> label_names,
                               std::vector<double> upper_bounds);

  /// A gauge series whose value is read by calling `fn` at each scrape (pool sizes, queue
  /// depths). Several callbacks may share a name with different label values. `fn` runs
  /// under the registry lock: it must be quick and must not call into this registry; if it
  /// throws, the series is skipped for that scrape. Returns an id for
  /// remove_gauge_callback — remove it before whatever `fn` captures is destroyed.
  std::uint64_t add_gauge_callback(const std::string& name, const std::string& help, Labels labels,
                                   std::function<double()> fn);
  /// Waits for a scrape that may be running the callback, so captures may be freed after.
  void remove_gauge_callback(std::uint64_t id);

  /// Text exposition format 0.0.4, families sorted by name.
  std::string render() const;

 private:
  struct Entry;
  Entry& entry_for(const std::string& name, const std::string& help, const char* type,
                   const std::vector<std::string>& label_names);

  mutable std::mutex mutex_;
  std::map<std::string, std::unique_ptr<Entry>> entries_;
  std::uint64_t next_callback_id_ = 1;
};

/// Default request-latency buckets, in seconds.
const std::vector<double>& default_latency_buckets();

/// Escapes a label value for the exposition format (backslash, double quote, newline).
std::string escape_label_value(const std::string& v);

}  // namespace reos::http

#include "api/rate_limiter.hpp"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace reos::api {
namespace {

using TimePoint = std::chrono::steady_clock::time_point;

struct Limit {
  double rate;   // tokens per second; <= 0: unlimited
  double burst;  // bucket capacity
  bool unlimited() const { return !(rate > 0) || !std::isfinite(rate); }
};

struct Bucket {
  double tokens;
  TimePoint last;  // last refill, also "last used" for eviction
};

}  // namespace

struct RateLimiter::Impl {
  Limit key, tenant, ip;
  Clock clock;
  std::size_t max_buckets;
  mutable std::mutex mutex;
  std::unordered_map<std::string, Bucket> buckets;  // "k:<key id>", "t:<tenant>", "i:<ip>"
  std::size_t calls_since_sweep = 0;

  // Tokens in the bucket named `name` after refilling to `now`; creates a full one.
  Bucket& refill(const std::string& name, const Limit& limit, TimePoint now) {
    auto [it, inserted] = buckets.try_emplace(name, Bucket{limit.burst, now});
    Bucket& b = it->second;
    if (!inserted && now > b.last) {
      double elapsed = std::chrono::duration<double>(now - b.last).count();
      b.tokens = std::min(limit.burst, b.tokens + elapsed * limit.rate);
      b.last = now;
    }
    return b;
  }

  // How long until `b` holds one token (zero when it already does).
  static std::chrono::milliseconds wait_for(const Bucket& b, const Limit& limit) {
    if (b.tokens >= 1.0) return std::chrono::milliseconds(0);
    double seconds = (1.0 - b.tokens) / limit.rate;
    return std::chrono::milliseconds(static_cast<long long>(std::ceil(seconds * 1000.0)));
  }

  // Takes one token from every bucket in `wanted` or from none, answering the longest wait.
  std::optional<std::chrono::milliseconds> take(
      const std::vector<std::pair<std::string, const Limit*>>& wanted) {
    TimePoint now = clock();
    std::lock_guard<std::mutex> lock(mutex);
    std::vector<Bucket*> got;
    std::chrono::milliseconds wait(0);
    for (const auto& [name, limit] : wanted) {
      if (limit->unlimited()) continue;
      Bucket& b = refill(name, *limit, now);
      wait = std::max(wait, wait_for(b, *limit));
      got.push_back(&b);
    }
    // The sweep runs after the lookups above so the pointers stay valid until we are done.
    if (wait.count() > 0) {
      maybe_sweep(now);
      return wait;
    }
    for (Bucket* b : got) b->tokens -= 1.0;
    maybe_sweep(now);
    return std::nullopt;
  }

  const Limit& limit_of(const std::string& name) const {
    return name[0] == 'k' ? key : name[0] == 't' ? tenant : ip;
  }

  // A bucket that would be full by now is indistinguishable from a fresh one, so dropping it
  // loses nothing. Runs every 1024 calls, or at once when the cap is exceeded.
  void maybe_sweep(TimePoint now) {
    if (++calls_since_sweep < 1024 && buckets.size() <= max_buckets) return;
    calls_since_sweep = 0;
    for (auto it = buckets.begin(); it != buckets.end();) {
      const Limit& limit = limit_of(it->first);
      double elapsed = std::chrono::duration<double>(now - it->second.last).count();
      if (it->second.tokens + elapsed * limit.rate >= limit.burst)
        it = buckets.erase(it);
      else
        ++it;
    }
    if (buckets.size() <= max_buckets) return;
    // Still over the cap (e.g. a flood from many addresses): forget the least recently used.
    // Those clients get a fresh bucket next time — a bounded leniency, not unbounded memory.
    std::vector<std::pair<TimePoint, std::string>> by_age;
    by_age.reserve(buckets.size());
    for (const auto& [name, b] : buckets) by_age.emplace_back(b.last, name);
    std::size_t excess = buckets.size() - max_buckets;
    std::nth_element(by_age.begin(), by_age.begin() + static_cast<long>(excess), by_age.end());
    for (std::size_t i = 0; i < excess; ++i) buckets.erase(by_age[i].second);
  }
};

RateLimiter::RateLimiter(Settings s)
    : RateLimiter(s, [] { return std::chrono::steady_clock::now(); }) {}

RateLimiter::RateLimiter(Settings s, Clock clock, std::size_t max_buckets)
    : impl_(std::make_unique<Impl>()) {
  impl_->key = {s.per_key_rps, std::max(1.0, s.per_key_burst)};
  impl_->tenant = {s.per_tenant_rps, std::max(1.0, s.per_tenant_burst)};
  impl_->ip = {s.per_ip_rps, std::max(1.0, s.per_ip_burst)};
  impl_->clock = std::move(clock);
  impl_->max_buckets = std::max<std::size_t>(1, max_buckets);
}

RateLimiter::~RateLimiter() = default;

std::optional<std::chrono::milliseconds> RateLimiter::acquire(const Caller& caller) {
  std::vector<std::pair<std::string, const Limit*>> wanted;
  if (caller.kind == Caller::Kind::api_key)
    wanted.emplace_back("k:" + caller.api_key_id, &impl_->key);
  wanted.emplace_back("t:" + caller.tenant_id, &impl_->tenant);
  return impl_->take(wanted);
}

std::optional<std::chrono::milliseconds> RateLimiter::acquire_ip(const std::string& ip) {
  return impl_->take({{"i:" + ip, &impl_->ip}});
}

std::size_t RateLimiter::bucket_count() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->buckets.size();
}

long retry_after_seconds(std::chrono::milliseconds wait) {
  long seconds = static_cast<long>((wait.count() + 999) / 1000);
  return std::max(1L, seconds);
}

}  // namespace reos::api

#include "net/circuit_breaker.hpp"

#include <algorithm>
#include <utility>

namespace reos::net {

const char* to_string(CircuitState state) {
  switch (state) {
    case CircuitState::closed:
      return "closed";
    case CircuitState::half_open:
      return "half-open";
    case CircuitState::open:
      return "open";
  }
  return "unknown";
}

// ---- Permit ----------------------------------------------------------------------------

CircuitBreaker::Permit::Permit(CircuitBreaker* breaker, bool allowed, bool probe,
                               std::chrono::steady_clock::time_point retry_at)
    : breaker_(allowed ? breaker : nullptr),
      allowed_(allowed),
      probe_(probe),
      retry_at_(retry_at) {}

CircuitBreaker::Permit::Permit(Permit&& other) noexcept
    : breaker_(std::exchange(other.breaker_, nullptr)),
      allowed_(other.allowed_),
      probe_(other.probe_),
      retry_at_(other.retry_at_) {}

CircuitBreaker::Permit& CircuitBreaker::Permit::operator=(Permit&& other) noexcept {
  if (this != &other) {
    release();
    breaker_ = std::exchange(other.breaker_, nullptr);
    allowed_ = other.allowed_;
    probe_ = other.probe_;
    retry_at_ = other.retry_at_;
  }
  return *this;
}

CircuitBreaker::Permit::~Permit() {
  release();
}

void CircuitBreaker::Permit::release() {
  if (breaker_ && probe_) breaker_->release_probe();
  breaker_ = nullptr;
}

void CircuitBreaker::Permit::success() {
  if (auto* b = std::exchange(breaker_, nullptr)) b->report(probe_, true);
}

void CircuitBreaker::Permit::failure() {
  if (auto* b = std::exchange(breaker_, nullptr)) b->report(probe_, false);
}

// ---- CircuitBreaker --------------------------------------------------------------------

CircuitBreaker::CircuitBreaker(CircuitBreakerSettings settings, Clock& clock, Listener listener)
    : settings_(settings), clock_(clock), listener_(std::move(listener)) {}

void CircuitBreaker::transition_locked(CircuitState to) {
  const CircuitState from = state_;
  if (from == to) return;
  state_ = to;
  if (listener_) listener_(from, to);
}

void CircuitBreaker::prune_locked(std::chrono::steady_clock::time_point now) {
  while (!failures_.empty() && failures_.front() <= now - settings_.window) failures_.pop_front();
}

void CircuitBreaker::advance_locked(std::chrono::steady_clock::time_point now) {
  if (state_ == CircuitState::open && now >= open_until_) {
    probe_in_flight_ = false;
    transition_locked(CircuitState::half_open);
  }
}

CircuitBreaker::Permit CircuitBreaker::acquire() {
  std::lock_guard lock(mutex_);
  const auto now = clock_.now();
  advance_locked(now);
  switch (state_) {
    case CircuitState::closed:
      return Permit(this, true, false, now);
    case CircuitState::open:
      return Permit(this, false, false, open_until_);
    case CircuitState::half_open:
      break;
  }
  if (probe_in_flight_) {
    // Someone is already testing the water; come back about when it should have answered.
    const auto later = now + std::min<std::chrono::steady_clock::duration>(settings_.cooldown,
                                                                           std::chrono::seconds(1));
    return Permit(this, false, false, later);
  }
  probe_in_flight_ = true;
  return Permit(this, true, true, now);
}

void CircuitBreaker::report(bool probe, bool success) {
  std::lock_guard lock(mutex_);
  on_result_locked(probe, success, clock_.now());
}

void CircuitBreaker::on_result_locked(bool probe, bool success,
                                      std::chrono::steady_clock::time_point now) {
  advance_locked(now);
  if (probe) {
    probe_in_flight_ = false;
    if (state_ != CircuitState::half_open) return;  // cannot happen; be defensive
    if (success) {
      failures_.clear();
      transition_locked(CircuitState::closed);
    } else {
      open_until_ = now + settings_.cooldown;
      transition_locked(CircuitState::open);
    }
    return;
  }
  // A call admitted while closed; if the circuit has opened since, its outcome is stale.
  if (state_ != CircuitState::closed || success) return;
  prune_locked(now);
  failures_.push_back(now);
  if (static_cast<int>(failures_.size()) >= std::max(1, settings_.failure_threshold)) {
    failures_.clear();
    open_until_ = now + settings_.cooldown;
    transition_locked(CircuitState::open);
  }
}

void CircuitBreaker::release_probe() {
  std::lock_guard lock(mutex_);
  probe_in_flight_ = false;
}

CircuitState CircuitBreaker::state() {
  std::lock_guard lock(mutex_);
  advance_locked(clock_.now());
  return state_;
}

std::chrono::steady_clock::time_point CircuitBreaker::open_until() {
  std::lock_guard lock(mutex_);
  return open_until_;
}

int CircuitBreaker::recent_failures() {
  std::lock_guard lock(mutex_);
  const auto now = clock_.now();
  advance_locked(now);
  if (state_ != CircuitState::closed) return 0;
  prune_locked(now);
  return static_cast<int>(failures_.size());
}

}  // namespace reos::net

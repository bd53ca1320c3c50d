#pragma once

// A circuit breaker: stops calling a dependency that keeps failing, so a dead provider costs
// one quick refusal per call instead of a timeout, and gets time to recover. Standalone (no
// HTTP in it) so the job pipeline can reuse it for any dependency.
//
//   closed ──(failure_threshold failures within window)──▶ open
//   open ──(cooldown elapsed; entered lazily at the next acquire()/state())──▶ half-open
//   half-open: exactly one probe is admitted; probe success ──▶ closed, failure ──▶ open

#include <chrono>
#include <deque>
#include <functional>
#include <mutex>

#include "net/clock.hpp"

namespace reos::net {

enum class CircuitState { closed = 0, half_open = 1, open = 2 };

/// "closed", "half-open", "open".
const char* to_string(CircuitState state);

struct CircuitBreakerSettings {
  int failure_threshold = 5;                  ///< failures within `window` that open; < 1 → 1
  std::chrono::milliseconds window{60000};    ///< sliding window for counting failures
  std::chrono::milliseconds cooldown{30000};  ///< time open before a probe is allowed
};

/// Thread-safe. Only failures count while closed (a success does not erase earlier failures:
/// the rule is "N failures within the window", not "N in a row"). Results of calls admitted
/// while closed that arrive after the circuit opened are ignored (they say nothing about the
/// dependency after the decision).
class CircuitBreaker {
 public:
  /// Called on every state change with (from, to), under the breaker's lock: it must be quick
  /// and must not call back into this breaker (set a gauge, write a log line).
  using Listener = std::function<void(CircuitState from, CircuitState to)>;

  /// The right to make one call, or a refusal. Move-only. Report the outcome with success()
  /// or failure(); a permit destroyed without a report (e.g. the call failed for a reason
  /// that says nothing about the dependency's health, such as a malformed request) leaves the
  /// state unchanged and, for a probe, frees the probe slot.
  class Permit {
   public:
    Permit(Permit&& other) noexcept;
    Permit& operator=(Permit&& other) noexcept;
    Permit(const Permit&) = delete;
    Permit& operator=(const Permit&) = delete;
    ~Permit();

    /// True when the call may go ahead.
    bool allowed() const { return allowed_; }
    /// True for the single trial call of the half-open state.
    bool probe() const { return probe_; }
    /// When refused: the earliest instant worth trying again (the end of the cooldown, or
    /// shortly after now while another probe is in flight).
    std::chrono::steady_clock::time_point retry_at() const { return retry_at_; }

    /// Reports the outcome; only the first report counts, and none for a refused permit.
    void success();
    void failure();

   private:
    friend class CircuitBreaker;
    Permit(CircuitBreaker* breaker, bool allowed, bool probe,
           std::chrono::steady_clock::time_point retry_at);
    void release();

    CircuitBreaker* breaker_;  // null once reported or when refused
    bool allowed_;
    bool probe_;
    std::chrono::steady_clock::time_point retry_at_;
  };

  /// `clock` must outlive the breaker, and the breaker every Permit it hands out.
  CircuitBreaker(CircuitBreakerSettings settings, Clock& clock, Listener listener = {});
  CircuitBreaker(const CircuitBreaker&) = delete;
  CircuitBreaker& operator=(const CircuitBreaker&) = delete;

  /// Asks to make one call. Never blocks.
  Permit acquire();

  /// The current state (moves open → half-open when the cooldown has elapsed).
  CircuitState state();
  /// When the current (or last) open period ends; meaningful while state() is open.
  std::chrono::steady_clock::time_point open_until();
  /// Failures counted in the current window (closed state only; 0 otherwise).
  int recent_failures();

 private:
  void on_result_locked(bool probe, bool success, std::chrono::steady_clock::time_point now);
  void release_probe();
  void report(bool probe, bool success);
  void advance_locked(std::chrono::steady_clock::time_point now);
  void transition_locked(CircuitState to);
  void prune_locked(std::chrono::steady_clock::time_point now);

  const CircuitBreakerSettings settings_;
  Clock& clock_;
  Listener listener_;
  std::mutex mutex_;
  CircuitState state_ = CircuitState::closed;
  std::deque<std::chrono::steady_clock::time_point> failures_;  // closed state, oldest first
  std::chrono::steady_clock::time_point open_until_{};
  bool probe_in_flight_ = false;
};

}  // namespace reos::net

#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "plugin_runtime/host_services.hpp"
#include "plugin_runtime/out_of_process_backoff.hpp"
#include "plugin_runtime/plugin_instance.hpp"

namespace reos::plugin_runtime {

class PluginHostProcess;
namespace wire {
struct CallRequest;
}

/// Told when an out-of-process instance starts failing (`failing` true, with the reason —
/// the connector's last_error) and when it recovers (`failing` false, reason ""). Called on
/// the calling thread after the instance's lock is released; may call back into it.
using HealthCallback = std::function<void(bool failing, const std::string& reason)>;

/// Knobs for create_out_of_process_instance. The defaults are what production uses.
struct OutOfProcessOptions {
  /// `reos-plugin-host` to run; "" = $REOS_PLUGIN_HOST, else next to the running executable.
  std::string plugin_host_binary;
  /// Restart backoff after a crash: first delay, doubled per consecutive crash, capped.
  std::chrono::milliseconds first_backoff{100};
  std::chrono::milliseconds max_backoff{30000};
  /// How long the child may take from spawn to HELLO (loading the .so).
  std::chrono::milliseconds load_timeout{10000};
  /// How long the destructor waits for the child to exit after SHUTDOWN before SIGKILL.
  std::chrono::milliseconds shutdown_grace{1000};
  HealthCallback on_health_change;
};

/// A plugin instance running in a child `reos-plugin-host` process (connector setting
/// `isolation: process`). A segfault, abort or exit in the plugin kills only the child: the
/// call returns REOS_FAIL naming the signal, the instance reports failed(), and the next
/// call after the restart backoff respawns the child (HELLO + CREATE with the original
/// settings). A call that overruns its deadline gets the child SIGKILLed. Calls are
/// serialized: one child serves one call at a time. The child is always reaped.
class OutOfProcessInstance final : public PluginInstance {
 public:
  /// Spawns the child, loads `plugin_path` there and creates the instance. Returns nullptr
  /// when the child cannot start, cannot load the plugin, or create does not return OK;
  /// `create_result` then says why (the loader's reason, or the plugin's own result).
  static std::unique_ptr<OutOfProcessInstance> create(const std::string& plugin_path,
                                                      std::shared_ptr<HostServices> services,
                                                      const CallContext& ctx,
                                                      std::string_view settings_json,
                                                      CallResult& create_result,
                                                      OutOfProcessOptions options = {});
  /// Sends SHUTDOWN, waits `shutdown_grace`, then SIGKILL; always reaps the child.
  ~OutOfProcessInstance() override;

  const PluginInfo& info() const override { return info_; }
  CallResult pull(const CallContext& ctx, std::string_view cursor) override;
  CallResult enrich(const CallContext& ctx, std::string_view record) override;
  CallResult score(const CallContext& ctx, std::string_view features) override;
  CallResult notify(const CallContext& ctx, std::string_view message) override;
  CallResult export_record(const CallContext& ctx, std::string_view record,
                           std::string_view idempotency_key) override;
  CallResult webhook(const CallContext& ctx, const WebhookRequest& request) override;

  /// True from a crash (or deadline kill) until a call completes on a restarted child.
  bool failed() const;
  /// How many times the child was respawned after a crash.
  int restarts() const;
  /// For the connectors table: "running", "failing: <reason>" or
  /// "restarting in N ms: <reason>".
  std::string status() const;
  /// The child's pid, or -1 while it is down (for tests and diagnostics).
  pid_t child_pid() const;

 private:
  OutOfProcessInstance(std::string plugin_path, std::string host_binary,
                       std::shared_ptr<HostServices> services, std::string settings_json,
                       OutOfProcessOptions options);

  /// Spawns, awaits HELLO, sends CREATE; on failure fills `result` and returns false.
  bool start_child(const CallContext& ctx, CallResult& result);
  /// Runs one CALL on the child, restarting it first if it is down and the backoff allows.
  CallResult call(wire::CallRequest& request);
  /// Sends `type` + payload and serves SERVICE_REQUESTs until RESULT, the deadline, or the
  /// child's death. Requires a live child; on death it is reaped and child_ reset.
  CallResult exchange(uint8_t type, const std::string& payload, const CallContext& ctx,
                      std::chrono::steady_clock::time_point started);
  /// Forgets the (already reaped) child, marks the instance failed, starts the backoff and
  /// queues a health notification; returns REOS_FAIL with `message`.
  CallResult record_failure(const std::string& message, const CallContext& ctx,
                            std::chrono::steady_clock::time_point started);
  /// Fires on_health_change for a queued transition. Call without holding mutex_.
  void notify_health(std::optional<std::pair<bool, std::string>> change);

  const std::string plugin_path_;
  const std::string host_binary_;
  const std::shared_ptr<HostServices> services_;
  const std::string settings_json_;
  const OutOfProcessOptions options_;
  PluginInfo info_;

  mutable std::mutex mutex_;  // guards everything below and serializes calls
  std::unique_ptr<PluginHostProcess> child_;
  RestartBackoff backoff_;
  bool failed_ = false;
  int restarts_ = 0;
  std::string last_error_;
  std::chrono::milliseconds create_deadline_{30000};
  /// A health transition recorded under the lock, reported by notify_health() after it.
  std::optional<std::pair<bool, std::string>> pending_health_;
};

/// The factory the connector registry calls for `isolation: process`; same contract as
/// create_in_process_instance, with default OutOfProcessOptions.
std::unique_ptr<PluginInstance> create_out_of_process_instance(
    const std::string& plugin_path, std::shared_ptr<HostServices> services, const CallContext& ctx,
    std::string_view settings_json, CallResult& create_result);

}  // namespace reos::plugin_runtime

#include "plugin_runtime/in_process_instance.hpp"

#include <mutex>
#include <string>
#include <vector>

#include "plugin_runtime/host_call.hpp"
#include "plugin_runtime/plugin_kinds.hpp"

namespace reos::plugin_runtime {
namespace {

using Clock = reos_call::Clock;

bool is_callback_status(reos_status s) {
  return s == REOS_OK || s == REOS_RETRY || s == REOS_FAIL || s == REOS_INVALID;
}

// Turns what the plugin returned into the call's final result: unknown statuses, malformed
// outputs and overrun deadlines all become FAIL with a message naming the cause.
void finish(reos_call& call, reos_status returned) {
  CallResult& r = call.result;
  const auto elapsed = Clock::now() - call.started;
  r.duration_ms = std::chrono::duration<double, std::milli>(elapsed).count();
  r.status = returned;
  std::string failure;
  if (!is_callback_status(returned)) {
    failure = "plugin returned unknown status " + std::to_string(returned);
  } else if (!call.malformed_output.empty()) {
    failure = call.malformed_output;
  } else if (elapsed > call.ctx.deadline) {
    failure =
        "deadline exceeded: took " +
        std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count()) +
        " ms, limit " + std::to_string(call.ctx.deadline.count()) + " ms";
  }
  if (failure.empty()) return;
  r.status = REOS_FAIL;
  r.message = r.message.empty() ? failure : failure + " (plugin said: " + r.message + ")";
  // Nothing of a failed call may be committed by mistake.
  r.output.reset();
  r.emitted.clear();
  r.cursor.reset();
  r.has_more = false;
  r.state_writes.clear();
  r.retry_after_ms = 0;
}

class InProcessInstance final : public PluginInstance {
 public:
  InProcessInstance(std::shared_ptr<PluginLibrary> library, std::shared_ptr<HostServices> services,
                    reos_instance* instance)
      : library_(std::move(library)),
        services_(std::move(services)),
        d_(library_->descriptor()),
        info_(library_->info()),
        thread_safe_(info_.flags & REOS_FLAG_THREAD_SAFE),
        instance_(instance) {}

  ~InProcessInstance() override {
    std::lock_guard lock(mutex_);  // never destroy while a call is running
    d_.destroy(instance_);
  }

  const PluginInfo& info() const override { return info_; }

  CallResult pull(const CallContext& ctx, std::string_view cursor) override {
    return invoke(ctx, REOS_KIND_SOURCE, [&](reos_call* call) {
      return d_.pull(instance_, call, cursor.data(), cursor.size());
    });
  }

  CallResult enrich(const CallContext& ctx, std::string_view record) override {
    return invoke(ctx, REOS_KIND_ENRICHER, [&](reos_call* call) {
      return d_.enrich(instance_, call, record.data(), record.size());
    });
  }

  CallResult score(const CallContext& ctx, std::string_view features) override {
    return invoke(ctx, REOS_KIND_SCORER, [&](reos_call* call) {
      return d_.score(instance_, call, features.data(), features.size());
    });
  }

  CallResult notify(const CallContext& ctx, std::string_view message) override {
    return invoke(ctx, REOS_KIND_NOTIFIER, [&](reos_call* call) {
      return d_.notify(instance_, call, message.data(), message.size());
    });
  }

  CallResult export_record(const CallContext& ctx, std::string_view record,
                           std::string_view idempotency_key) override {
    return invoke(ctx, REOS_KIND_EXPORTER, [&](reos_call* call) {
      return d_.export_record(instance_, call, record.data(), record.size(), idempotency_key.data(),
                              idempotency_key.size());
    });
  }

  CallResult webhook(const CallContext& ctx, const WebhookRequest& request) override {
    return invoke(ctx, REOS_KIND_WEBHOOK, [&](reos_call* call) {
      std::vector<reos_header> headers;
      headers.reserve(request.headers.size());
      for (const auto& [name, value] : request.headers) {
        headers.push_back({name.data(), name.size(), value.data(), value.size()});
      }
      reos_http_request raw{};
      raw.struct_size = sizeof(reos_http_request);
      raw.method = request.method.c_str();
      raw.url = request.url.c_str();
      raw.headers = headers.data();
      raw.header_count = headers.size();
      raw.body = request.body.data();
      raw.body_len = request.body.size();
      return d_.webhook(instance_, call, &raw);
    });
  }

 private:
  // A template rather than std::function: the hot path stays free of allocations.
  template <class Callback>
  CallResult invoke(const CallContext& ctx, uint32_t kind, Callback&& callback) {
    CallResult result;
    if (!(info_.kinds & kind)) {
      result.status = REOS_INVALID;
      result.message = "plugin '" + info_.name + "' is not a " + kind_name(kind) +
                       " (it implements: " + kind_names(info_.kinds) + ")";
      return result;
    }
    std::unique_lock<std::mutex> lock(mutex_, std::defer_lock);
    if (!thread_safe_) lock.lock();
    reos_call call(ctx, result, *services_);
    finish(call, callback(&call));
    return result;
  }

  std::shared_ptr<PluginLibrary> library_;
  std::shared_ptr<HostServices> services_;
  const reos_plugin_descriptor& d_;
  const PluginInfo& info_;
  const bool thread_safe_;
  reos_instance* const instance_;
  std::mutex mutex_;
};

}  // namespace

std::unique_ptr<PluginInstance> create_in_process_instance(std::shared_ptr<PluginLibrary> library,
                                                           std::shared_ptr<HostServices> services,
                                                           const CallContext& ctx,
                                                           std::string_view settings_json,
                                                           CallResult& create_result) {
  create_result = CallResult{};
  const reos_plugin_descriptor& d = library->descriptor();
  // A NUL-terminated copy: plugins may treat settings as a C string (documented as such).
  const std::string settings(settings_json);
  reos_instance* instance = nullptr;
  reos_call call(ctx, create_result, *services);
  const reos_status returned =
      d.create(&host_api_table(), &call, settings.c_str(), settings.size(), &instance);
  finish(call, returned);
  if (create_result.status != REOS_OK) {
    // The plugin made an instance that the host refuses (deadline overrun, malformed output):
    // it is still the plugin's to release.
    if (returned == REOS_OK && instance) d.destroy(instance);
    return nullptr;
  }
  return std::make_unique<InProcessInstance>(std::move(library), std::move(services), instance);
}

}  // namespace reos::plugin_runtime

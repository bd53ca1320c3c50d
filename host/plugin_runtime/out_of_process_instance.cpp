#include "plugin_runtime/out_of_process_instance.hpp"

#include <stdexcept>

#include "log/logger.hpp"
#include "plugin_runtime/out_of_process_child.hpp"
#include "plugin_runtime/out_of_process_service_dispatch.hpp"
#include "plugin_runtime/plugin_wire_codec.hpp"
#include "plugin_runtime/plugin_wire_protocol.hpp"
#include "reos/plugin.h"

namespace reos::plugin_runtime {
namespace {

using Clock = std::chrono::steady_clock;

/// How long a child that closed its socket gets to finish exiting before SIGKILL.
constexpr std::chrono::milliseconds kExitGrace{1000};

CallResult failure(int32_t status, std::string message) {
  CallResult r;
  r.status = status;
  r.message = std::move(message);
  return r;
}

double elapsed_ms(Clock::time_point started) {
  return std::chrono::duration<double, std::milli>(Clock::now() - started).count();
}

}  // namespace

OutOfProcessInstance::OutOfProcessInstance(std::string plugin_path, std::string host_binary,
                                           std::shared_ptr<HostServices> services,
                                           std::string settings_json, OutOfProcessOptions options)
    : plugin_path_(std::move(plugin_path)),
      host_binary_(std::move(host_binary)),
      services_(std::move(services)),
      settings_json_(std::move(settings_json)),
      options_(std::move(options)),
      backoff_(options_.first_backoff, options_.max_backoff) {}

std::unique_ptr<OutOfProcessInstance> OutOfProcessInstance::create(
    const std::string& plugin_path, std::shared_ptr<HostServices> services, const CallContext& ctx,
    std::string_view settings_json, CallResult& create_result, OutOfProcessOptions options) {
  std::string host_binary;
  try {
    host_binary = locate_plugin_host(options.plugin_host_binary);
  } catch (const std::exception& e) {
    create_result = failure(REOS_FAIL, e.what());
    return nullptr;
  }
  std::unique_ptr<OutOfProcessInstance> instance(
      new OutOfProcessInstance(plugin_path, std::move(host_binary), std::move(services),
                               std::string(settings_json), std::move(options)));
  instance->create_deadline_ = ctx.deadline;
  std::lock_guard lock(instance->mutex_);
  if (!instance->start_child(ctx, create_result)) return nullptr;
  return instance;
}

OutOfProcessInstance::~OutOfProcessInstance() {
  std::lock_guard lock(mutex_);
  if (child_) child_->shutdown(options_.shutdown_grace);
  child_.reset();  // reaps (SIGKILL first if shutdown did not)
}

bool OutOfProcessInstance::start_child(const CallContext& ctx, CallResult& result) {
  auto started = Clock::now();
  try {
    child_ = PluginHostProcess::spawn(host_binary_, plugin_path_);
  } catch (const std::exception& e) {
    result = failure(REOS_FAIL, e.what());
    return false;
  }
  wire::Received hello = child_->channel().receive(started + options_.load_timeout);
  try {
    if (hello.status == wire::Received::Status::frame &&
        hello.frame.type == wire::MessageType::load_failed) {
      result = failure(REOS_FAIL, wire::decode_text(hello.frame.payload));
      child_->reap_within(kExitGrace);
      child_.reset();
      return false;
    }
    if (hello.status == wire::Received::Status::frame &&
        hello.frame.type == wire::MessageType::hello) {
      PluginInfo info = wire::decode_plugin_info(hello.frame.payload);
      if (info_.name.empty()) info_ = std::move(info);
    } else {
      std::string why;
      switch (hello.status) {
        case wire::Received::Status::timeout:
          why = "no HELLO within " + std::to_string(options_.load_timeout.count()) + " ms; " +
                child_->kill_and_reap();
          break;
        case wire::Received::Status::closed:
          why = child_->reap_within(kExitGrace);
          break;
        default:
          why = "protocol error (" +
                (hello.error.empty()
                     ? "expected HELLO, got " +
                           wire::message_type_name(static_cast<uint8_t>(hello.frame.type))
                     : hello.error) +
                "); " + child_->kill_and_reap();
      }
      child_.reset();
      result = failure(REOS_FAIL, "plugin process for " + plugin_path_ + " did not start: " + why);
      return false;
    }
  } catch (const wire::ProtocolError& e) {
    result = failure(REOS_FAIL, std::string("plugin process sent a malformed HELLO: ") + e.what() +
                                    "; " + child_->kill_and_reap());
    child_.reset();
    return false;
  }

  wire::CreateRequest create{ctx, settings_json_};
  result = exchange(static_cast<uint8_t>(wire::MessageType::create), wire::encode_create(create),
                    ctx, Clock::now());
  if (!child_) return false;
  if (result.status != REOS_OK) {
    child_->shutdown(options_.shutdown_grace);
    child_.reset();
    return false;
  }
  return true;
}

CallResult OutOfProcessInstance::record_failure(const std::string& message, const CallContext& ctx,
                                                Clock::time_point started) {
  child_.reset();
  failed_ = true;
  last_error_ = message;
  auto delay = backoff_.record_failure(Clock::now());
  pending_health_ = std::make_pair(true, message);
  log::warn("plugin process failed", {{"plugin", info_.name.empty() ? plugin_path_ : info_.name},
                                      {"connector", ctx.connector_id},
                                      {"correlation_id", ctx.correlation_id},
                                      {"reason", message},
                                      {"restart_in_ms", std::to_string(delay.count())}});
  CallResult result = failure(REOS_FAIL, message);
  result.duration_ms = elapsed_ms(started);
  return result;
}

CallResult OutOfProcessInstance::exchange(uint8_t type, const std::string& payload,
                                          const CallContext& ctx, Clock::time_point started) {
  auto deadline = started + ctx.deadline;
  wire::WireChannel& channel = child_->channel();
  auto overrun = [&] {
    child_->kill_and_reap();
    return record_failure("deadline exceeded: plugin killed after " +
                              std::to_string(static_cast<long long>(elapsed_ms(started))) + " ms",
                          ctx, started);
  };
  auto crashed = [&] {
    return record_failure("plugin process crashed: " + child_->reap_within(kExitGrace), ctx,
                          started);
  };
  auto misbehaved = [&](const std::string& why) {
    child_->kill_and_reap();
    return record_failure("plugin process crashed: protocol error: " + why, ctx, started);
  };

  std::string error;
  if (!channel.send(static_cast<wire::MessageType>(type), payload, error, deadline)) {
    return Clock::now() >= deadline ? overrun() : crashed();
  }
  for (;;) {
    wire::Received got = channel.receive(deadline);
    if (got.status == wire::Received::Status::timeout) return overrun();
    if (got.status == wire::Received::Status::closed) return crashed();
    if (got.status == wire::Received::Status::protocol_error) return misbehaved(got.error);
    try {
      if (got.frame.type == wire::MessageType::result) {
        CallResult result = wire::decode_call_result(got.frame.payload);
        result.duration_ms = elapsed_ms(started);
        return result;
      }
      if (got.frame.type != wire::MessageType::service_request) {
        return misbehaved("unexpected " +
                          wire::message_type_name(static_cast<uint8_t>(got.frame.type)) +
                          " during a call");
      }
      wire::ServiceRequest request = wire::decode_service_request(got.frame.payload);
      wire::ServiceReply reply = dispatch_service_request(*services_, ctx, request);
      if (wants_reply(request.op) &&
          !channel.send(wire::MessageType::service_reply, wire::encode_service_reply(reply), error,
                        deadline)) {
        return Clock::now() >= deadline ? overrun() : crashed();
      }
    } catch (const wire::ProtocolError& e) {
      return misbehaved(e.what());
    }
  }
}

CallResult OutOfProcessInstance::call(wire::CallRequest& request) {
  std::optional<std::pair<bool, std::string>> change;
  CallResult result;
  {
    std::lock_guard lock(mutex_);
    if (!child_) {
      auto wait = backoff_.remaining(Clock::now());
      if (wait.count() > 0) {
        result = failure(REOS_RETRY, "plugin process restarting after crash: " + last_error_);
        result.retry_after_ms = static_cast<uint64_t>(wait.count());
        return result;
      }
      CallContext create_ctx = request.ctx;
      create_ctx.deadline = create_deadline_;
      CallResult started;
      if (!start_child(create_ctx, started)) {
        // A crash inside start_child has recorded itself already; a spawn, load or create
        // refusal counts as a failed restart too, so the backoff keeps growing.
        if (!pending_health_) record_failure(started.message, request.ctx, Clock::now());
        result = failure(REOS_FAIL, "plugin process restart failed: " + last_error_);
        change = std::move(pending_health_);
        pending_health_.reset();
      } else {
        ++restarts_;
        log::info("plugin process restarted", {{"plugin", info_.name},
                                               {"connector", request.ctx.connector_id},
                                               {"restarts", std::to_string(restarts_)}});
      }
    }
    if (child_) {
      auto started = Clock::now();
      // The deadline travels as a duration: the child measures it from receipt, the parent
      // from `started`, and only the parent's clock decides.
      result = exchange(static_cast<uint8_t>(wire::MessageType::call), wire::encode_call(request),
                        request.ctx, started);
      if (child_) {
        backoff_.reset();
        if (failed_) {
          failed_ = false;
          last_error_.clear();
          pending_health_ = std::make_pair(false, std::string());
        }
      }
      change = std::move(pending_health_);
      pending_health_.reset();
    }
  }
  notify_health(std::move(change));
  return result;
}

void OutOfProcessInstance::notify_health(std::optional<std::pair<bool, std::string>> change) {
  if (change && options_.on_health_change) options_.on_health_change(change->first, change->second);
}

CallResult OutOfProcessInstance::pull(const CallContext& ctx, std::string_view cursor) {
  wire::CallRequest r{wire::CallKind::pull, ctx, std::string(cursor), {}, {}};
  return call(r);
}

CallResult OutOfProcessInstance::enrich(const CallContext& ctx, std::string_view record) {
  wire::CallRequest r{wire::CallKind::enrich, ctx, std::string(record), {}, {}};
  return call(r);
}

CallResult OutOfProcessInstance::score(const CallContext& ctx, std::string_view features) {
  wire::CallRequest r{wire::CallKind::score, ctx, std::string(features), {}, {}};
  return call(r);
}

CallResult OutOfProcessInstance::notify(const CallContext& ctx, std::string_view message) {
  wire::CallRequest r{wire::CallKind::notify, ctx, std::string(message), {}, {}};
  return call(r);
}

CallResult OutOfProcessInstance::export_record(const CallContext& ctx, std::string_view record,
                                               std::string_view idempotency_key) {
  wire::CallRequest r{
      wire::CallKind::export_record, ctx, std::string(record), std::string(idempotency_key), {}};
  return call(r);
}

CallResult OutOfProcessInstance::webhook(const CallContext& ctx, const WebhookRequest& request) {
  wire::CallRequest r{wire::CallKind::webhook, ctx, {}, {}, request};
  return call(r);
}

bool OutOfProcessInstance::failed() const {
  std::lock_guard lock(mutex_);
  return failed_;
}

int OutOfProcessInstance::restarts() const {
  std::lock_guard lock(mutex_);
  return restarts_;
}

pid_t OutOfProcessInstance::child_pid() const {
  std::lock_guard lock(mutex_);
  return child_ ? child_->pid() : -1;
}

std::string OutOfProcessInstance::status() const {
  std::lock_guard lock(mutex_);
  if (!failed_) return "running";
  if (!child_) {
    auto wait = backoff_.remaining(Clock::now());
    if (wait.count() > 0) {
      return "restarting in " + std::to_string(wait.count()) + " ms: " + last_error_;
    }
  }
  return "failing: " + last_error_;
}

std::unique_ptr<PluginInstance> create_out_of_process_instance(
    const std::string& plugin_path, std::shared_ptr<HostServices> services, const CallContext& ctx,
    std::string_view settings_json, CallResult& create_result) {
  return OutOfProcessInstance::create(plugin_path, std::move(services), ctx, settings_json,
                                      create_result);
}

}  // namespace reos::plugin_runtime

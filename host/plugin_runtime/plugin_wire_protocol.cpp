#include "plugin_runtime/plugin_wire_protocol.hpp"

#include "plugin_runtime/plugin_wire_codec.hpp"

namespace reos::plugin_runtime::wire {
namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

void put_headers(WireWriter& w, const Headers& headers) {
  w.u32(static_cast<uint32_t>(headers.size()));
  for (const auto& [name, value] : headers) {
    w.str(name);
    w.str(value);
  }
}

Headers get_headers(WireReader& r) {
  uint32_t n = r.u32();
  Headers headers;
  // Each header needs at least 8 bytes; the reader throws on truncation long before a
  // forged count could exhaust memory, so no reserve() from untrusted input.
  for (uint32_t i = 0; i < n; ++i) {
    std::string name = r.str();
    headers.emplace_back(std::move(name), r.str());
  }
  return headers;
}

void put_strings(WireWriter& w, const std::vector<std::string>& items) {
  w.u32(static_cast<uint32_t>(items.size()));
  for (const auto& s : items) w.str(s);
}

std::vector<std::string> get_strings(WireReader& r) {
  uint32_t n = r.u32();
  std::vector<std::string> items;
  for (uint32_t i = 0; i < n; ++i) items.push_back(r.str());
  return items;
}

void put_optional(WireWriter& w, const std::optional<std::string>& s) {
  w.boolean(s.has_value());
  w.str(s ? *s : std::string_view{});
}

std::optional<std::string> get_optional(WireReader& r) {
  bool present = r.boolean();
  std::string s = r.str();
  if (!present) return std::nullopt;
  return s;
}

void put_context(WireWriter& w, const CallContext& ctx) {
  w.str(ctx.tenant_id);
  w.str(ctx.connector_id);
  w.str(ctx.correlation_id);
  w.i64(ctx.deadline.count());
}

CallContext get_context(WireReader& r) {
  CallContext ctx;
  ctx.tenant_id = r.str();
  ctx.connector_id = r.str();
  ctx.correlation_id = r.str();
  ctx.deadline = std::chrono::milliseconds(r.i64());
  return ctx;
}

}  // namespace

std::string message_type_name(uint8_t type) {
  switch (static_cast<MessageType>(type)) {
    case MessageType::hello:
      return "HELLO";
    case MessageType::load_failed:
      return "LOAD_FAILED";
    case MessageType::create:
      return "CREATE";
    case MessageType::call:
      return "CALL";
    case MessageType::service_request:
      return "SERVICE_REQUEST";
    case MessageType::service_reply:
      return "SERVICE_REPLY";
    case MessageType::result:
      return "RESULT";
    case MessageType::shutdown:
      return "SHUTDOWN";
  }
  return "type " + std::to_string(type);
}

std::string encode_frame(MessageType type, std::string_view payload) {
  if (payload.size() + 1 > kMaxFrameBytes) {
    throw ProtocolError("wire: " + message_type_name(static_cast<uint8_t>(type)) + " of " +
                        std::to_string(payload.size()) + " bytes exceeds the 64 MiB frame limit");
  }
  WireWriter w;
  w.u32(static_cast<uint32_t>(payload.size() + 1));
  w.u8(static_cast<uint8_t>(type));
  std::string frame = w.take();
  frame.append(payload.data(), payload.size());
  return frame;
}

std::string encode_plugin_info(const PluginInfo& info) {
  WireWriter w;
  w.str(info.name);
  w.str(info.version);
  w.str(info.description);
  w.u32(info.kinds);
  w.u32(info.flags);
  w.str(info.settings_schema);
  w.u16(info.abi_major);
  w.u16(info.abi_minor);
  w.u16(info.min_host_minor);
  w.str(info.path);
  return w.take();
}

PluginInfo decode_plugin_info(std::string_view payload) {
  WireReader r(payload);
  PluginInfo info;
  info.name = r.str();
  info.version = r.str();
  info.description = r.str();
  info.kinds = r.u32();
  info.flags = r.u32();
  info.settings_schema = r.str();
  info.abi_major = r.u16();
  info.abi_minor = r.u16();
  info.min_host_minor = r.u16();
  info.path = r.str();
  r.expect_end();
  return info;
}

std::string encode_create(const CreateRequest& request) {
  WireWriter w;
  put_context(w, request.ctx);
  w.str(request.settings_json);
  return w.take();
}

CreateRequest decode_create(std::string_view payload) {
  WireReader r(payload);
  CreateRequest request;
  request.ctx = get_context(r);
  request.settings_json = r.str();
  r.expect_end();
  return request;
}

std::string encode_call(const CallRequest& request) {
  WireWriter w;
  w.u8(static_cast<uint8_t>(request.kind));
  put_context(w, request.ctx);
  w.str(request.input);
  w.str(request.idempotency_key);
  w.str(request.webhook.method);
  w.str(request.webhook.url);
  put_headers(w, request.webhook.headers);
  w.str(request.webhook.body);
  return w.take();
}

CallRequest decode_call(std::string_view payload) {
  WireReader r(payload);
  CallRequest request;
  uint8_t kind = r.u8();
  if (kind < static_cast<uint8_t>(CallKind::pull) ||
      kind > static_cast<uint8_t>(CallKind::webhook)) {
    throw ProtocolError("wire: unknown call kind " + std::to_string(kind));
  }
  request.kind = static_cast<CallKind>(kind);
  request.ctx = get_context(r);
  request.input = r.str();
  request.idempotency_key = r.str();
  request.webhook.method = r.str();
  request.webhook.url = r.str();
  request.webhook.headers = get_headers(r);
  request.webhook.body = r.str();
  r.expect_end();
  return request;
}

std::string encode_service_request(const ServiceRequest& request) {
  WireWriter w;
  w.u8(static_cast<uint8_t>(request.op));
  w.i32(request.level);
  w.str(request.key);
  w.str(request.value);
  w.str(request.content_type);
  w.f64(request.number);
  w.str(request.exchange.method);
  w.str(request.exchange.url);
  put_headers(w, request.exchange.request_headers);
  w.str(request.exchange.request_body);
  w.u32(request.exchange.timeout_ms);
  return w.take();
}

ServiceRequest decode_service_request(std::string_view payload) {
  WireReader r(payload);
  ServiceRequest request;
  uint8_t op = r.u8();
  if (op < static_cast<uint8_t>(ServiceOp::log) || op > static_cast<uint8_t>(ServiceOp::blob_get)) {
    throw ProtocolError("wire: unknown service op " + std::to_string(op));
  }
  request.op = static_cast<ServiceOp>(op);
  request.level = r.i32();
  request.key = r.str();
  request.value = r.str();
  request.content_type = r.str();
  request.number = r.f64();
  request.exchange.method = r.str();
  request.exchange.url = r.str();
  request.exchange.request_headers = get_headers(r);
  request.exchange.request_body = r.str();
  request.exchange.timeout_ms = r.u32();
  r.expect_end();
  return request;
}

std::string encode_service_reply(const ServiceReply& reply) {
  WireWriter w;
  w.i32(reply.status.status);
  w.str(reply.status.error);
  w.str(reply.value);
  w.i32(reply.http_status);
  put_headers(w, reply.response_headers);
  w.str(reply.response_body);
  return w.take();
}

ServiceReply decode_service_reply(std::string_view payload) {
  WireReader r(payload);
  ServiceReply reply;
  reply.status.status = r.i32();
  reply.status.error = r.str();
  reply.value = r.str();
  reply.http_status = r.i32();
  reply.response_headers = get_headers(r);
  reply.response_body = r.str();
  r.expect_end();
  return reply;
}

std::string encode_call_result(const CallResult& result) {
  WireWriter w;
  w.i32(result.status);
  w.str(result.message);
  w.u64(result.retry_after_ms);
  put_optional(w, result.output);
  put_strings(w, result.emitted);
  put_optional(w, result.cursor);
  w.boolean(result.has_more);
  put_headers(w, result.state_writes);
  w.f64(result.duration_ms);
  return w.take();
}

CallResult decode_call_result(std::string_view payload) {
  WireReader r(payload);
  CallResult result;
  result.status = r.i32();
  result.message = r.str();
  result.retry_after_ms = r.u64();
  result.output = get_optional(r);
  result.emitted = get_strings(r);
  result.cursor = get_optional(r);
  result.has_more = r.boolean();
  result.state_writes = get_headers(r);
  result.duration_ms = r.f64();
  r.expect_end();
  return result;
}

std::string encode_text(std::string_view text) {
  WireWriter w;
  w.str(text);
  return w.take();
}

std::string decode_text(std::string_view payload) {
  WireReader r(payload);
  std::string text = r.str();
  r.expect_end();
  return text;
}

}  // namespace reos::plugin_runtime::wire

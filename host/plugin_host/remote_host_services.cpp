#include "plugin_host/remote_host_services.hpp"

#include <unistd.h>

#include <cstdio>

#include "plugin_runtime/out_of_process_service_dispatch.hpp"
#include "plugin_runtime/plugin_wire_codec.hpp"

namespace reos::plugin_host {

using plugin_runtime::CallContext;
using plugin_runtime::HttpExchange;
using plugin_runtime::ServiceStatus;
using plugin_runtime::wire::ServiceOp;
using plugin_runtime::wire::ServiceReply;
using plugin_runtime::wire::ServiceRequest;

namespace {

[[noreturn]] void parent_lost(const std::string& why) {
  std::fprintf(stderr, "reos-plugin-host: lost the host process (%s); exiting\n", why.c_str());
  ::_exit(70);
}

}  // namespace

ServiceReply RemoteHostServices::round_trip(const ServiceRequest& request) {
  namespace wire = plugin_runtime::wire;
  std::string error;
  if (!channel_.send(wire::MessageType::service_request, wire::encode_service_request(request),
                     error)) {
    parent_lost(error);
  }
  if (!plugin_runtime::wants_reply(request.op)) return {};
  wire::Received got = channel_.receive();
  if (got.status != wire::Received::Status::frame) parent_lost(got.error);
  if (got.frame.type != wire::MessageType::service_reply) {
    parent_lost("expected SERVICE_REPLY, got " +
                wire::message_type_name(static_cast<uint8_t>(got.frame.type)));
  }
  try {
    return wire::decode_service_reply(got.frame.payload);
  } catch (const wire::ProtocolError& e) {
    parent_lost(e.what());
  }
}

void RemoteHostServices::log(const CallContext&, int32_t level, std::string_view msg) {
  ServiceRequest r;
  r.op = ServiceOp::log;
  r.level = level;
  r.value = std::string(msg);
  round_trip(r);
}

ServiceStatus RemoteHostServices::state_get(const CallContext&, std::string_view key,
                                            std::string& value) {
  ServiceRequest r;
  r.op = ServiceOp::state_get;
  r.key = std::string(key);
  ServiceReply reply = round_trip(r);
  value = std::move(reply.value);
  return reply.status;
}

ServiceStatus RemoteHostServices::state_put(const CallContext&, std::string_view key,
                                            std::string_view value) {
  ServiceRequest r;
  r.op = ServiceOp::state_put;
  r.key = std::string(key);
  r.value = std::string(value);
  return round_trip(r).status;
}

ServiceStatus RemoteHostServices::secret(const CallContext&, std::string_view reference,
                                         std::string& value) {
  ServiceRequest r;
  r.op = ServiceOp::secret;
  r.key = std::string(reference);
  ServiceReply reply = round_trip(r);
  value = std::move(reply.value);
  return reply.status;
}

ServiceStatus RemoteHostServices::http(const CallContext&, HttpExchange& exchange) {
  ServiceRequest r;
  r.op = ServiceOp::http;
  r.exchange.method = exchange.method;
  r.exchange.url = exchange.url;
  r.exchange.request_headers = exchange.request_headers;
  r.exchange.request_body = exchange.request_body;
  r.exchange.timeout_ms = exchange.timeout_ms;
  ServiceReply reply = round_trip(r);
  exchange.status = reply.http_status;
  exchange.response_headers = std::move(reply.response_headers);
  exchange.response_body = std::move(reply.response_body);
  return reply.status;
}

ServiceStatus RemoteHostServices::counter_add(const CallContext&, std::string_view name,
                                              double delta) {
  ServiceRequest r;
  r.op = ServiceOp::counter_add;
  r.key = std::string(name);
  r.number = delta;
  return round_trip(r).status;
}

ServiceStatus RemoteHostServices::gauge_set(const CallContext&, std::string_view name,
                                            double value) {
  ServiceRequest r;
  r.op = ServiceOp::gauge_set;
  r.key = std::string(name);
  r.number = value;
  return round_trip(r).status;
}

ServiceStatus RemoteHostServices::blob_put(const CallContext&, std::string_view key,
                                           std::string_view data, std::string_view content_type) {
  ServiceRequest r;
  r.op = ServiceOp::blob_put;
  r.key = std::string(key);
  r.value = std::string(data);
  r.content_type = std::string(content_type);
  return round_trip(r).status;
}

ServiceStatus RemoteHostServices::blob_get(const CallContext&, std::string_view key,
                                           std::string& data) {
  ServiceRequest r;
  r.op = ServiceOp::blob_get;
  r.key = std::string(key);
  ServiceReply reply = round_trip(r);
  data = std::move(reply.value);
  return reply.status;
}

}  // namespace reos::plugin_host

#pragma once

// The messages the host (parent) and `reos-plugin-host` (child) exchange over a socketpair.
// A frame is: u32 length (little-endian, counts the type byte and the payload), u8 type,
// payload. Payload fields are fixed-size little-endian integers/doubles and u32-length-
// prefixed byte strings (plugin_wire_codec.hpp). See docs/out-of-process-plugins.md.
//
//   child  → parent  HELLO (PluginInfo) | LOAD_FAILED (reason)        once, after exec
//   parent → child   CREATE (ctx, settings)       → RESULT             once per child
//   parent → child   CALL (kind, ctx, inputs)     → RESULT             any number
//   child  → parent  SERVICE_REQUEST (op, args)   → SERVICE_REPLY      during CREATE/CALL
//   parent → child   SHUTDOWN                                          child exits

#include <cstdint>
#include <string>
#include <string_view>

#include "plugin_runtime/host_services.hpp"
#include "plugin_runtime/plugin_instance.hpp"

namespace reos::plugin_runtime::wire {

/// Largest frame either side accepts (length field included in the check). A bigger length
/// is a protocol error, so a corrupt length cannot make the reader allocate gigabytes.
constexpr uint32_t kMaxFrameBytes = 64u * 1024u * 1024u;
/// Bytes before the payload: u32 length + u8 type.
constexpr std::size_t kFrameHeaderBytes = 5;

/// Values are part of the protocol: never renumber or reuse one.
enum class MessageType : uint8_t {
  hello = 1,
  load_failed = 2,
  create = 3,
  call = 4,
  service_request = 5,
  service_reply = 6,
  result = 7,
  shutdown = 8,
};

/// A name for logs and error messages ("HELLO", …; "type 42" when unknown).
std::string message_type_name(uint8_t type);

/// One decoded frame: its type byte and its payload (without the header).
struct Frame {
  MessageType type = MessageType::shutdown;
  std::string payload;
};

/// Header + payload, ready to be sent in one write. Throws ProtocolError when too big.
std::string encode_frame(MessageType type, std::string_view payload);

/// Which PluginInstance method a CALL invokes. Values are part of the protocol.
enum class CallKind : uint8_t {
  pull = 1,
  enrich = 2,
  score = 3,
  notify = 4,
  export_record = 5,
  webhook = 6,
};

/// A CALL: the method, its context and its inputs. `input` is the cursor, record,
/// features or message; `idempotency_key` is used by export_record only, `webhook` by
/// webhook only.
struct CallRequest {
  CallKind kind = CallKind::enrich;
  CallContext ctx;
  std::string input;
  std::string idempotency_key;
  WebhookRequest webhook;
};

/// A CREATE: the context of the create call and the connector settings (JSON text).
struct CreateRequest {
  CallContext ctx;
  std::string settings_json;
};

/// Which HostServices method a SERVICE_REQUEST invokes. Values are part of the protocol.
enum class ServiceOp : uint8_t {
  log = 1,
  state_get = 2,
  state_put = 3,
  secret = 4,
  http = 5,
  counter_add = 6,
  gauge_set = 7,
  blob_put = 8,
  blob_get = 9,
};

/// A SERVICE_REQUEST. Field use per op: log (level, text=msg); state_get/secret/blob_get
/// (key); state_put (key, value); counter_add/gauge_set (key=name, number); blob_put (key,
/// value=data, content_type); http (exchange's request half). The call context is not sent:
/// the parent serves the request with the context of the call in progress, so a child can
/// never act for another tenant or connector.
struct ServiceRequest {
  ServiceOp op = ServiceOp::log;
  int32_t level = 0;
  std::string key;
  std::string value;
  std::string content_type;
  double number = 0;
  HttpExchange exchange;
};

/// A SERVICE_REPLY: the ServiceStatus, the returned value (state, secret, blob) and, for
/// http, the exchange's response half.
struct ServiceReply {
  ServiceStatus status;
  std::string value;
  int32_t http_status = 0;
  std::vector<std::pair<std::string, std::string>> response_headers;
  std::string response_body;
};

std::string encode_plugin_info(const PluginInfo& info);
PluginInfo decode_plugin_info(std::string_view payload);

std::string encode_create(const CreateRequest& request);
CreateRequest decode_create(std::string_view payload);

std::string encode_call(const CallRequest& request);
CallRequest decode_call(std::string_view payload);

std::string encode_service_request(const ServiceRequest& request);
ServiceRequest decode_service_request(std::string_view payload);

std::string encode_service_reply(const ServiceReply& reply);
ServiceReply decode_service_reply(std::string_view payload);

std::string encode_call_result(const CallResult& result);
CallResult decode_call_result(std::string_view payload);

/// LOAD_FAILED carries one string: the loader's reason.
std::string encode_text(std::string_view text);
std::string decode_text(std::string_view payload);

}  // namespace reos::plugin_runtime::wire

#include <cmath>
#include <exception>

#include "plugin_runtime/host_call.hpp"
#include "plugin_runtime/json_text_check.hpp"

namespace reos::plugin_runtime {
namespace {

using Clock = reos_call::Clock;

std::string_view view(const char* data, size_t len) {
  return data ? std::string_view(data, len) : std::string_view();
}

reos_status failed(reos_call* call, reos_status status, std::string why) {
  call->last_error = std::move(why);
  return status;
}

reos_status from_service(reos_call* call, ServiceStatus s) {
  if (s.status != REOS_OK) call->last_error = std::move(s.error);
  return s.status;
}

// Runs a service body; anything it throws (a database error, bad_alloc) becomes REOS_FAIL
// with the reason in last_error, since no exception may cross into plugin code.
template <class Body>
reos_status guarded(reos_call* call, const char* service, Body&& body) noexcept {
  if (!call) return REOS_INVALID;
  try {
    return body();
  } catch (const std::exception& e) {
    return failed(call, REOS_FAIL, std::string(service) + ": " + e.what());
  } catch (...) {
    return failed(call, REOS_FAIL, std::string(service) + ": unknown error");
  }
}

// Emitted records and outputs must be one JSON object each. A malformed one is refused
// (INVALID to the plugin) and remembered, so the call FAILs even if the plugin carries on.
reos_status check_json_object(reos_call* call, const char* service, const char* json, size_t len) {
  std::string why;
  if (json && is_json_object_text(std::string_view(json, len), &why)) return REOS_OK;
  std::string message = std::string(service) + ": " + (json ? why : "NULL json");
  call->malformed_output = "plugin passed malformed JSON to " + message;
  return failed(call, REOS_INVALID, std::move(message));
}

reos_status host_log(reos_call* call, int32_t level, const char* msg, size_t msg_len) {
  return guarded(call, "log", [&] {
    call->services.log(call->ctx, level, view(msg, msg_len));
    return REOS_OK;
  });
}

reos_status host_emit(reos_call* call, const char* json, size_t json_len) {
  return guarded(call, "emit", [&] {
    const reos_status checked = check_json_object(call, "emit", json, json_len);
    if (checked == REOS_OK) call->result.emitted.emplace_back(json, json_len);
    return checked;
  });
}

reos_status host_set_output(reos_call* call, const char* json, size_t json_len) {
  return guarded(call, "set_output", [&] {
    const reos_status checked = check_json_object(call, "set_output", json, json_len);
    if (checked != REOS_OK) return checked;
    if (call->result.output) {
      call->result.output->assign(json, json_len);  // a second output replaces the first
    } else {
      call->result.output.emplace(json, json_len);
    }
    return REOS_OK;
  });
}

reos_status host_set_message(reos_call* call, const char* msg, size_t msg_len) {
  return guarded(call, "set_message", [&] {
    call->result.message.assign(view(msg, msg_len));
    return REOS_OK;
  });
}

reos_status host_set_retry_after(reos_call* call, uint64_t retry_after_ms) {
  return guarded(call, "set_retry_after", [&] {
    call->result.retry_after_ms = retry_after_ms;
    return REOS_OK;
  });
}

reos_status host_set_cursor(reos_call* call, const char* cursor, size_t cursor_len,
                            int32_t has_more) {
  return guarded(call, "set_cursor", [&] {
    call->result.cursor.emplace(view(cursor, cursor_len));
    call->result.has_more = has_more != 0;
    return REOS_OK;
  });
}

uint64_t host_deadline_remaining_ms(reos_call* call) {
  if (!call) return 0;
  const auto elapsed =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - call->started);
  const auto left = call->ctx.deadline - elapsed;
  return left.count() > 0 ? static_cast<uint64_t>(left.count()) : 0;
}

reos_status host_state_get(reos_call* call, const char* key, size_t key_len, const char** value,
                           size_t* value_len) {
  return guarded(call, "state_get", [&] {
    if (!key || !value || !value_len) return failed(call, REOS_INVALID, "state_get: NULL argument");
    const std::string_view k(key, key_len);
    // A write earlier in this call is visible to it, although it is committed only later.
    const auto& writes = call->result.state_writes;
    for (auto it = writes.rbegin(); it != writes.rend(); ++it) {
      if (it->first == k) {
        *value = it->second.data();
        *value_len = it->second.size();
        return REOS_OK;
      }
    }
    std::string& kept = call->keep({});
    const ServiceStatus s = call->services.state_get(call->ctx, k, kept);
    if (s.status == REOS_OK) {
      *value = kept.data();
      *value_len = kept.size();
    }
    return from_service(call, s);
  });
}

reos_status host_state_put(reos_call* call, const char* key, size_t key_len, const char* value,
                           size_t value_len) {
  return guarded(call, "state_put", [&] {
    if (!key || key_len == 0) return failed(call, REOS_INVALID, "state_put: empty key");
    if (!value && value_len) return failed(call, REOS_INVALID, "state_put: NULL value");
    call->result.state_writes.emplace_back(std::string(key, key_len),
                                           std::string(view(value, value_len)));
    return REOS_OK;
  });
}

reos_status host_secret(reos_call* call, const char* reference, size_t reference_len,
                        const char** value, size_t* value_len) {
  return guarded(call, "secret", [&] {
    if (!reference || !value || !value_len) {
      return failed(call, REOS_INVALID, "secret: NULL argument");
    }
    std::string& kept = call->keep({});
    const ServiceStatus s =
        call->services.secret(call->ctx, std::string_view(reference, reference_len), kept);
    if (s.status == REOS_OK) {
      *value = kept.data();
      *value_len = kept.size();
    }
    return from_service(call, s);
  });
}

reos_status host_http(reos_call* call, const reos_http_request* request,
                      reos_http_response* response) {
  return guarded(call, "http", [&] {
    if (!request || !response || !request->method || !request->url) {
      return failed(call, REOS_INVALID, "http: NULL request, response, method or url");
    }
    call->exchanges.emplace_front();
    HttpExchange& ex = call->exchanges.front();
    ex.method = request->method;
    ex.url = request->url;
    for (size_t i = 0; request->headers && i < request->header_count; ++i) {
      const reos_header& h = request->headers[i];
      ex.request_headers.emplace_back(std::string(view(h.name, h.name_len)),
                                      std::string(view(h.value, h.value_len)));
    }
    ex.request_body.assign(view(request->body, request->body_len));
    if (REOS_HAS_FIELD(request, reos_http_request, timeout_ms)) ex.timeout_ms = request->timeout_ms;

    // The client gets what is left of this call's deadline, not the whole of it.
    CallContext remaining = call->ctx;
    remaining.deadline = std::chrono::milliseconds(host_deadline_remaining_ms(call));
    const ServiceStatus s = call->services.http(remaining, ex);

    call->header_arrays.emplace_front();
    std::vector<reos_header>& headers = call->header_arrays.front();
    for (const auto& [name, value] : ex.response_headers) {
      headers.push_back({name.data(), name.size(), value.data(), value.size()});
    }
    if (REOS_HAS_FIELD(response, reos_http_response, status)) response->status = ex.status;
    if (REOS_HAS_FIELD(response, reos_http_response, header_count)) {
      response->headers = headers.data();
      response->header_count = headers.size();
    }
    if (REOS_HAS_FIELD(response, reos_http_response, body_len)) {
      response->body = ex.response_body.data();
      response->body_len = ex.response_body.size();
    }
    return from_service(call, s);
  });
}

bool finite(double v) {
  return std::isfinite(v);
}

reos_status host_counter_add(reos_call* call, const char* name, double delta) {
  return guarded(call, "counter_add", [&] {
    if (!name) return failed(call, REOS_INVALID, "counter_add: NULL name");
    if (!finite(delta) || delta < 0) {
      return failed(call, REOS_INVALID, "counter_add: delta must be a finite number >= 0");
    }
    return from_service(call, call->services.counter_add(call->ctx, name, delta));
  });
}

reos_status host_gauge_set(reos_call* call, const char* name, double value) {
  return guarded(call, "gauge_set", [&] {
    if (!name) return failed(call, REOS_INVALID, "gauge_set: NULL name");
    return from_service(call, call->services.gauge_set(call->ctx, name, value));
  });
}

reos_status host_blob_put(reos_call* call, const char* key, size_t key_len, const void* data,
                          size_t data_len, const char* content_type) {
  return guarded(call, "blob_put", [&] {
    if (!key || key_len == 0) return failed(call, REOS_INVALID, "blob_put: empty key");
    if (!data && data_len) return failed(call, REOS_INVALID, "blob_put: NULL data");
    const std::string_view bytes(static_cast<const char*>(data), data ? data_len : 0);
    return from_service(call, call->services.blob_put(call->ctx, std::string_view(key, key_len),
                                                      bytes, content_type ? content_type : ""));
  });
}

reos_status host_blob_get(reos_call* call, const char* key, size_t key_len, const void** data,
                          size_t* data_len) {
  return guarded(call, "blob_get", [&] {
    if (!key || !data || !data_len) return failed(call, REOS_INVALID, "blob_get: NULL argument");
    std::string& kept = call->keep({});
    const ServiceStatus s =
        call->services.blob_get(call->ctx, std::string_view(key, key_len), kept);
    if (s.status == REOS_OK) {
      *data = kept.data();
      *data_len = kept.size();
    }
    return from_service(call, s);
  });
}

const char* host_last_error(reos_call* call) {
  return call ? call->last_error.c_str() : "";
}

const reos_host_api kHostApi = {
    sizeof(reos_host_api),
    REOS_ABI_VERSION_MAJOR,
    REOS_ABI_VERSION_MINOR,
    host_log,
    host_emit,
    host_set_output,
    host_set_message,
    host_set_retry_after,
    host_set_cursor,
    host_deadline_remaining_ms,
    host_state_get,
    host_state_put,
    host_secret,
    host_http,
    host_counter_add,
    host_gauge_set,
    host_blob_put,
    host_blob_get,
    host_last_error,
};

}  // namespace

const reos_host_api& host_api_table() {
  return kHostApi;
}

}  // namespace reos::plugin_runtime

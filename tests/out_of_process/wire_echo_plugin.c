/* wire_echo_plugin — a well-behaved plugin of every kind whose answers are easy to predict,
 * so the out-of-process tests can check that each call, result field and host service
 * survives the trip through reos-plugin-host unchanged.
 *   enrich: the record decides — "retry" → RETRY (retry after 1500 ms, message "busy"),
 *           "fail" → FAIL ("permanent"), "invalid" → INVALID, "drop" → OK without output,
 *           "services" → uses log/state/secret/counter/gauge/blob/http and reports what it
 *           got back, anything else → echoes the record.
 *   pull:   emits {"n":1} and {"n":2}; cursor "page2" with more after an empty cursor, else
 *           cursor "end" with no more.
 *   score, notify, export_record, webhook: fixed outputs (see below).
 * Settings containing "reject" make create return INVALID ("settings rejected"). */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "reos/plugin.h"

static const reos_host_api* g_host;

static int contains(const char* s, size_t len, const char* needle) {
  return memmem(s, len, needle, strlen(needle)) != NULL;
}

static reos_status out(reos_call* call, const char* json) {
  return g_host->set_output(call, json, strlen(json));
}

static reos_status echo_create(const reos_host_api* host, reos_call* call, const char* settings,
                               size_t settings_len, reos_instance** instance) {
  g_host = host;
  if (contains(settings, settings_len, "reject")) {
    host->set_message(call, "settings rejected", 17);
    return REOS_INVALID;
  }
  *instance = (reos_instance*)&g_host;
  return REOS_OK;
}

static void echo_destroy(reos_instance* instance) {
  (void)instance;
}

static reos_status use_services(reos_call* call) {
  const reos_host_api* h = g_host;
  h->log(call, REOS_LOG_INFO, "hello from the plugin", 21);
  const char* seed = "";
  size_t seed_len = 0;
  reos_status seed_status = h->state_get(call, "seed", 4, &seed, &seed_len);
  h->state_put(call, "k", 1, "v1", 2);
  const char* secret = "";
  size_t secret_len = 0;
  h->secret(call, "${API_KEY}", 10, &secret, &secret_len);
  h->counter_add(call, "calls", 2);
  h->gauge_set(call, "queue_depth", 7.5);
  h->blob_put(call, "photo.jpg", 9, "JPEGDATA", 8, "image/jpeg");
  const void* blob = "";
  size_t blob_len = 0;
  reos_status blob_status = h->blob_get(call, "photo.jpg", 9, &blob, &blob_len);
  reos_header header = {"Accept", 6, "application/json", 16};
  reos_http_request request = {
      sizeof(reos_http_request), "GET", "https://vendor.test/v1/avm", &header, 1, NULL, 0, 0};
  reos_http_response response;
  memset(&response, 0, sizeof response);
  response.struct_size = sizeof response;
  reos_status http_status = h->http(call, &request, &response);
  char json[1024];
  snprintf(json, sizeof json,
           "{\"seed\":\"%.*s\",\"seed_status\":%d,\"secret\":\"%.*s\",\"blob\":\"%.*s\","
           "\"blob_status\":%d,\"http_status\":%d,\"http_code\":%d,\"http_body\":\"%.*s\","
           "\"http_headers\":%d}",
           (int)seed_len, seed, (int)seed_status, (int)secret_len, secret, (int)blob_len,
           (const char*)blob, (int)blob_status, (int)http_status, (int)response.status,
           (int)response.body_len, response.body ? response.body : "", (int)response.header_count);
  return out(call, json);
}

static reos_status echo_enrich(reos_instance* instance, reos_call* call, const char* record,
                               size_t record_len) {
  (void)instance;
  if (contains(record, record_len, "retry")) {
    g_host->set_retry_after(call, 1500);
    g_host->set_message(call, "busy", 4);
    return REOS_RETRY;
  }
  if (contains(record, record_len, "fail")) {
    g_host->set_message(call, "permanent", 9);
    return REOS_FAIL;
  }
  if (contains(record, record_len, "invalid")) return REOS_INVALID;
  if (contains(record, record_len, "drop")) return REOS_OK;
  if (contains(record, record_len, "services")) return use_services(call);
  g_host->set_output(call, record, record_len);
  return REOS_OK;
}

static reos_status echo_pull(reos_instance* instance, reos_call* call, const char* cursor,
                             size_t cursor_len) {
  (void)instance;
  g_host->emit(call, "{\"n\":1}", 7);
  g_host->emit(call, "{\"n\":2}", 7);
  if (cursor_len == 0) return g_host->set_cursor(call, "page2", 5, 1);
  (void)cursor;
  return g_host->set_cursor(call, "end", 3, 0);
}

static reos_status echo_score(reos_instance* instance, reos_call* call, const char* features,
                              size_t features_len) {
  (void)instance, (void)features, (void)features_len;
  return out(call, "{\"score\":0.5,\"contributions\":{\"price\":0.25}}");
}

static reos_status echo_notify(reos_instance* instance, reos_call* call, const char* message,
                               size_t message_len) {
  (void)instance, (void)message, (void)message_len;
  return out(call, "{\"provider_id\":\"msg-1\"}");
}

static reos_status echo_export(reos_instance* instance, reos_call* call, const char* record,
                               size_t record_len, const char* key, size_t key_len) {
  (void)instance, (void)record, (void)record_len;
  char json[256];
  snprintf(json, sizeof json, "{\"external_id\":\"%.*s\"}", (int)key_len, key);
  return out(call, json);
}

static reos_status echo_webhook(reos_instance* instance, reos_call* call,
                                const reos_http_request* request) {
  (void)instance;
  int signed_ok = 0;
  for (size_t i = 0; i < request->header_count; ++i) {
    if (request->headers[i].name_len == 5 && memcmp(request->headers[i].name, "X-Sig", 5) == 0) {
      signed_ok = 1;
    }
  }
  if (!signed_ok) {
    g_host->set_message(call, "missing X-Sig", 13);
    return REOS_INVALID;
  }
  char json[512];
  snprintf(json, sizeof json, "{\"method\":\"%s\",\"url\":\"%s\",\"body_len\":%d}", request->method,
           request->url, (int)request->body_len);
  return g_host->emit(call, json, strlen(json));
}

static const reos_plugin_descriptor wire_echo_plugin = {
    REOS_DESCRIPTOR_HEADER,
    "wire_echo",
    "0.1.0",
    "test plugin with predictable answers for every kind",
    REOS_KIND_SOURCE | REOS_KIND_ENRICHER | REOS_KIND_SCORER | REOS_KIND_NOTIFIER |
        REOS_KIND_EXPORTER | REOS_KIND_WEBHOOK,
    0,
    NULL,
    echo_create,
    echo_destroy,
    echo_pull,
    echo_enrich,
    echo_score,
    echo_notify,
    echo_export,
    echo_webhook,
};

REOS_PLUGIN_DEFINE(wire_echo_plugin)

/* libreos_scripted_webhook.so — a webhook plugin whose outcome the request body chooses, for
 * the host-side contract tests (tests/webhooks/contract_test.cpp). No signature at all:
 *   "fail…"   → REOS_FAIL "body unusable"        (kept as a failed request, 200)
 *   "retry…"  → REOS_RETRY, retry after 2 s       (503, Retry-After: 2, nothing stored)
 *   "noid…"   → emits an event without provider_event_id
 *   "nul…"    → emits an event holding \u0000
 *   "two…"    → emits {"provider_event_id":"two-a"} and one with "error":"bad item"
 *   otherwise → REOS_INVALID "no signature"       (401) */
#include <string.h>

#include "reos/plugin.h"

static const reos_host_api* g_host;

static reos_status say(reos_call* call, reos_status status, const char* msg) {
  g_host->set_message(call, msg, strlen(msg));
  return status;
}

static void emit(reos_call* call, const char* json) {
  g_host->emit(call, json, strlen(json));
}

static reos_status create(const reos_host_api* host, reos_call* call, const char* settings,
                          size_t len, reos_instance** instance) {
  (void)call;
  (void)settings;
  (void)len;
  g_host = host;
  *instance = (reos_instance*)&g_host;
  return REOS_OK;
}

static void destroy(reos_instance* instance) {
  (void)instance;
}

static int starts(const reos_http_request* r, const char* prefix) {
  const size_t n = strlen(prefix);
  return r->body != NULL && r->body_len >= n && memcmp(r->body, prefix, n) == 0;
}

static reos_status webhook(reos_instance* instance, reos_call* call,
                           const reos_http_request* request) {
  (void)instance;
  if (starts(request, "fail")) return say(call, REOS_FAIL, "body unusable");
  if (starts(request, "retry")) {
    g_host->set_retry_after(call, 2000);
    return say(call, REOS_RETRY, "try later");
  }
  if (starts(request, "noid")) {
    emit(call, "{\"type\":\"x\"}");
  } else if (starts(request, "nul")) {
    emit(call, "{\"provider_event_id\":\"nul-1\",\"v\":\"a\\u0000b\"}");
  } else if (starts(request, "two")) {
    emit(call, "{\"provider_event_id\":\"two-a\"}");
    emit(call, "{\"provider_event_id\":\"two-b\",\"error\":\"bad item\"}");
  } else {
    return say(call, REOS_INVALID, "no signature");
  }
  return REOS_OK;
}

static const reos_plugin_descriptor descriptor = {REOS_DESCRIPTOR_HEADER,
                                                  "scripted_webhook",
                                                  "0.0.1",
                                                  "host-side webhook contract tests",
                                                  REOS_KIND_WEBHOOK,
                                                  REOS_FLAG_THREAD_SAFE,
                                                  NULL,
                                                  create,
                                                  destroy,
                                                  NULL,
                                                  NULL,
                                                  NULL,
                                                  NULL,
                                                  NULL,
                                                  webhook};
REOS_PLUGIN_DEFINE(descriptor)

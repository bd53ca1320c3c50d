/* libreos_test_echo.so — a well-behaved plugin of every kind for the runtime tests and the
 * conformance kit. What it does is steered by the record: {"cmd":"retry"} returns RETRY,
 * {"cmd":"state"} exercises state_put/state_get, and so on (see enrich below). Anything
 * else is echoed back. Thread-safe: it keeps no mutable state of its own. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "reos/plugin.h"

typedef struct echo_instance {
  const reos_host_api* host;
} echo_instance;

static const char* find(const char* hay, size_t hay_len, const char* needle) {
  const size_t n = strlen(needle);
  if (n > hay_len) return NULL;
  for (size_t i = 0; i + n <= hay_len; ++i) {
    if (memcmp(hay + i, needle, n) == 0) return hay + i;
  }
  return NULL;
}

static int has(const char* in, size_t len, const char* needle) {
  return find(in, len, needle) != NULL;
}

static reos_status say(const reos_host_api* host, reos_call* call, reos_status status,
                       const char* message) {
  host->set_message(call, message, strlen(message));
  return status;
}

static int looks_like_object(const char* in, size_t len) {
  return len >= 2 && in[0] == '{' && in[len - 1] == '}';
}

static reos_status set_output(const reos_host_api* host, reos_call* call, const char* json) {
  return host->set_output(call, json, strlen(json));
}

/* Appends `text` as a JSON string (quotes and backslashes escaped) to out. */
static void append_json_string(char* out, size_t cap, const char* text, size_t len) {
  size_t o = strlen(out);
  if (o + 1 < cap) out[o++] = '"';
  for (size_t i = 0; i < len && o + 3 < cap; ++i) {
    const char c = text[i];
    if (c == '"' || c == '\\') out[o++] = '\\';
    out[o++] = (c >= 0 && c < 0x20) ? ' ' : c;
  }
  if (o + 1 < cap) out[o++] = '"';
  out[o] = '\0';
}

/* The value of "ref":"…" in the record (copied into buf), or "" */
static void ref_of(const char* in, size_t len, char* buf, size_t cap) {
  const char* start = find(in, len, "\"ref\":\"");
  buf[0] = '\0';
  if (!start) return;
  start += 7;
  const char* end = start;
  while (end < in + len && *end != '"') ++end;
  size_t n = (size_t)(end - start);
  if (n >= cap) n = cap - 1;
  memcpy(buf, start, n);
  buf[n] = '\0';
}

static reos_status echo_create(const reos_host_api* host, reos_call* call, const char* settings,
                               size_t settings_len, reos_instance** instance) {
  size_t i = 0;
  while (i < settings_len && (settings[i] == ' ' || settings[i] == '\n')) ++i;
  if (i == settings_len || settings[i] != '{') {
    return say(host, call, REOS_INVALID, "settings must be a JSON object");
  }
  if (has(settings, settings_len, "\"fail_create\"")) {
    return say(host, call, REOS_FAIL, "told to fail in create");
  }
  echo_instance* self = (echo_instance*)calloc(1, sizeof *self);
  if (!self) return say(host, call, REOS_RETRY, "out of memory");
  self->host = host;
  *instance = self;
  return REOS_OK;
}

static void echo_destroy(reos_instance* instance) {
  free(instance);
}

static reos_status check_input(const reos_host_api* host, reos_call* call, const char* in,
                               size_t len) {
  if (len == 0) return say(host, call, REOS_INVALID, "empty input");
  if (!looks_like_object(in, len))
    return say(host, call, REOS_INVALID, "input is not a JSON object");
  return REOS_OK;
}

static reos_status echo_enrich(reos_instance* instance, reos_call* call, const char* in,
                               size_t len) {
  const reos_host_api* host = ((echo_instance*)instance)->host;
  reos_status s = check_input(host, call, in, len);
  if (s != REOS_OK) return s;
  char out[1024] = "";
  if (has(in, len, "\"cmd\":\"retry\"")) {
    host->set_retry_after(call, 1500);
    return say(host, call, REOS_RETRY, "upstream busy");
  }
  if (has(in, len, "\"cmd\":\"fail\"")) return say(host, call, REOS_FAIL, "permanent failure");
  if (has(in, len, "\"cmd\":\"invalid\"")) return say(host, call, REOS_INVALID, "bad record");
  if (has(in, len, "\"cmd\":\"unknown_status\"")) return 42;
  if (has(in, len, "\"cmd\":\"drop\"")) return REOS_OK;
  if (has(in, len, "\"cmd\":\"bad_json\"")) {
    set_output(host, call, "{not json");
    return REOS_OK;
  }
  if (has(in, len, "\"cmd\":\"sleep\"")) {
    struct timespec pause = {0, 150 * 1000 * 1000};
    nanosleep(&pause, NULL);
  }
  if (has(in, len, "\"cmd\":\"state\"")) {
    const char* value = NULL;
    size_t value_len = 0;
    if (host->state_put(call, "cursor", 6, "42", 2) != REOS_OK) {
      return say(host, call, REOS_FAIL, host->last_error(call));
    }
    if (host->state_get(call, "cursor", 6, &value, &value_len) != REOS_OK) {
      return say(host, call, REOS_FAIL, host->last_error(call));
    }
    strcpy(out, "{\"cursor\":");
    append_json_string(out, sizeof out, value, value_len);
    strcat(out, "}");
    return set_output(host, call, out);
  }
  if (has(in, len, "\"cmd\":\"read_state\"")) {
    const char* value = NULL;
    size_t value_len = 0;
    s = host->state_get(call, "cursor", 6, &value, &value_len);
    if (s == REOS_NOT_FOUND) return set_output(host, call, "{\"cursor\":null}");
    if (s != REOS_OK) return say(host, call, REOS_FAIL, host->last_error(call));
    strcpy(out, "{\"cursor\":");
    append_json_string(out, sizeof out, value, value_len);
    strcat(out, "}");
    return set_output(host, call, out);
  }
  if (has(in, len, "\"cmd\":\"secret\"")) {
    char ref[256];
    const char* value = NULL;
    size_t value_len = 0;
    ref_of(in, len, ref, sizeof ref);
    s = host->secret(call, ref, strlen(ref), &value, &value_len);
    if (s != REOS_OK) {
      snprintf(out, sizeof out, "secret status %d: %s", (int)s, host->last_error(call));
      return say(host, call, s == REOS_NOT_FOUND ? REOS_INVALID : REOS_FAIL, out);
    }
    strcpy(out, "{\"secret\":");
    append_json_string(out, sizeof out, value, value_len);
    strcat(out, "}");
    return set_output(host, call, out);
  }
  if (has(in, len, "\"cmd\":\"count\"")) {
    if (host->counter_add(call, "echo_records", 1) != REOS_OK ||
        host->gauge_set(call, "echo_queue_depth", 7) != REOS_OK) {
      return say(host, call, REOS_FAIL, host->last_error(call));
    }
    if (host->counter_add(call, "Bad Name", 1) != REOS_INVALID) {
      return say(host, call, REOS_FAIL, "a bad metric name was accepted");
    }
    return set_output(host, call, "{\"counted\":true}");
  }
  if (has(in, len, "\"cmd\":\"blob\"")) {
    const void* data = NULL;
    size_t data_len = 0;
    if (host->blob_put(call, "photos/1.jpg", 12, "JPEGDATA", 8, "image/jpeg") != REOS_OK) {
      return say(host, call, REOS_FAIL, host->last_error(call));
    }
    if (host->blob_get(call, "photos/1.jpg", 12, &data, &data_len) != REOS_OK) {
      return say(host, call, REOS_FAIL, host->last_error(call));
    }
    s = host->blob_get(call, "photos/none.jpg", 15, &data, &data_len);
    if (s != REOS_NOT_FOUND) return say(host, call, REOS_FAIL, "a missing blob was found");
    host->blob_get(call, "photos/1.jpg", 12, &data, &data_len);
    strcpy(out, "{\"blob\":");
    append_json_string(out, sizeof out, (const char*)data, data_len);
    strcat(out, "}");
    return set_output(host, call, out);
  }
  if (has(in, len, "\"cmd\":\"log\"")) host->log(call, REOS_LOG_INFO, "echo says hello", 15);
  return host->set_output(call, in, len);
}

static reos_status echo_pull(reos_instance* instance, reos_call* call, const char* cursor,
                             size_t len) {
  const reos_host_api* host = ((echo_instance*)instance)->host;
  if (len == 0) {
    host->emit(call, "{\"n\":1}", 7);
    host->emit(call, "{\"n\":2}", 7);
    host->set_cursor(call, "page-2", 6, 1);
    return REOS_OK;
  }
  if (len == 6 && memcmp(cursor, "page-2", 6) == 0) {
    host->emit(call, "{\"n\":3}", 7);
    host->set_cursor(call, "end", 3, 0);
    return REOS_OK;
  }
  if (len == 8 && memcmp(cursor, "emit_bad", 8) == 0) {
    host->emit(call, "{\"n\":4}", 7);
    host->emit(call, "{broken", 7); /* returns INVALID; the plugin ignores it on purpose */
    return REOS_OK;
  }
  return say(host, call, REOS_INVALID, "unknown cursor");
}

static reos_status echo_score(reos_instance* instance, reos_call* call, const char* in,
                              size_t len) {
  const reos_host_api* host = ((echo_instance*)instance)->host;
  reos_status s = check_input(host, call, in, len);
  if (s != REOS_OK) return s;
  return set_output(host, call, "{\"score\":0.5,\"contributions\":{\"bedrooms\":0.1}}");
}

static reos_status echo_notify(reos_instance* instance, reos_call* call, const char* in,
                               size_t len) {
  const reos_host_api* host = ((echo_instance*)instance)->host;
  reos_status s = check_input(host, call, in, len);
  if (s != REOS_OK) return s;
  return set_output(host, call, "{\"provider_id\":\"echo-1\"}");
}

static reos_status echo_export(reos_instance* instance, reos_call* call, const char* in, size_t len,
                               const char* key, size_t key_len) {
  const reos_host_api* host = ((echo_instance*)instance)->host;
  char out[512] = "{\"external_id\":";
  reos_status s = check_input(host, call, in, len);
  if (s != REOS_OK) return s;
  append_json_string(out, sizeof out, key, key_len);
  strcat(out, "}");
  return set_output(host, call, out);
}

static reos_status echo_webhook(reos_instance* instance, reos_call* call,
                                const reos_http_request* request) {
  const reos_host_api* host = ((echo_instance*)instance)->host;
  reos_status s = check_input(host, call, request->body, request->body_len);
  if (s != REOS_OK) return s;
  return host->emit(call, request->body, request->body_len);
}

static const reos_plugin_descriptor echo_plugin = {
    REOS_DESCRIPTOR_HEADER,
    "test_echo",
    "1.0.0",
    "echoes records; steered by {\"cmd\": …} for the runtime tests",
    REOS_KIND_SOURCE | REOS_KIND_ENRICHER | REOS_KIND_SCORER | REOS_KIND_NOTIFIER |
        REOS_KIND_EXPORTER | REOS_KIND_WEBHOOK,
    REOS_FLAG_THREAD_SAFE,
    "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{"
    "\"greeting\":{\"type\":\"string\"},\"batch\":{\"type\":\"integer\",\"minimum\":1},"
    "\"token\":{\"type\":\"string\"},\"fail_create\":{\"type\":\"boolean\"}}}",
    echo_create,
    echo_destroy,
    echo_pull,
    echo_enrich,
    echo_score,
    echo_notify,
    echo_export,
    echo_webhook,
};

REOS_PLUGIN_DEFINE(echo_plugin)

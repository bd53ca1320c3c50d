/* libreos_recording_notifier.so — a notifier that writes every message it is handed (the
 * schemas/message.json document, one line each) to a log file: what the messaging tests read
 * to see exactly what a provider would have received. Settings:
 *   {"log": "/path", "fail_file": "/path"}
 * Output {"provider_id":"rec-<message_id>"}. While fail_file exists every call fails without
 * a side effect: its first line "fail" → FAIL "mailbox does not exist"; "optout" → FAIL with
 * output {"suppress":true,"reason":"opted_out"} (what twilio answers for error 21610, see
 * docs/providers.md); anything else RETRY. */
#include "counting_common.h"

typedef struct recorder {
  const reos_host_api* host;
  char log[512];
  char fail_file[512];
} recorder;

static reos_status recorder_create(const reos_host_api* host, reos_call* call, const char* settings,
                                   size_t len, reos_instance** instance) {
  recorder* self = (recorder*)calloc(1, sizeof *self);
  if (!self) return cc_say(host, call, REOS_RETRY, "out of memory");
  self->host = host;
  cc_string(settings, len, "log", self->log, sizeof self->log);
  cc_string(settings, len, "fail_file", self->fail_file, sizeof self->fail_file);
  *instance = self;
  return REOS_OK;
}

static void recorder_destroy(reos_instance* instance) {
  free(instance);
}

static reos_status recorder_notify(reos_instance* instance, reos_call* call, const char* message,
                                   size_t len) {
  recorder* self = (recorder*)instance;
  if (cc_file_exists(self->fail_file)) {
    char how[64];
    cc_file_text(self->fail_file, how, sizeof how);
    if (strcmp(how, "fail") == 0)
      return cc_say(self->host, call, REOS_FAIL, "mailbox does not exist");
    if (strcmp(how, "optout") == 0) {
      static const char out[] =
          "{\"suppress\":true,\"reason\":\"opted_out\",\"provider_code\":21610}";
      self->host->set_output(call, out, sizeof out - 1);
      return cc_say(self->host, call, REOS_FAIL, "error 21610: recipient opted out");
    }
    return cc_say(self->host, call, REOS_RETRY, "rate limited");
  }
  char* line = (char*)malloc(len + 2);
  if (!line) return cc_say(self->host, call, REOS_RETRY, "out of memory");
  memcpy(line, message, len);
  line[len] = '\n';
  line[len + 1] = '\0';
  cc_log_line(self->log, line);
  free(line);
  char id[128], out[200];
  cc_string(message, len, "message_id", id, sizeof id);
  snprintf(out, sizeof out, "{\"provider_id\":\"rec-%s\"}", id);
  self->host->set_output(call, out, strlen(out));
  return REOS_OK;
}

static const reos_plugin_descriptor recording_notifier = {
    REOS_DESCRIPTOR_HEADER,
    "recording_notifier",
    "1.0.0",
    "test notifier: every message handed over is a line in a log file",
    REOS_KIND_NOTIFIER,
    0,
    NULL,
    recorder_create,
    recorder_destroy,
    NULL,
    NULL,
    NULL,
    recorder_notify,
    NULL,
    NULL};

REOS_PLUGIN_DEFINE(recording_notifier)

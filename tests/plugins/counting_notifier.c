/* libreos_counting_notifier.so — a notifier and exporter whose every provider call is a line
 * in a log file: the side-effect counter of the pipeline execution tests. Settings:
 *   {"log": "/path", "fail_file": "/path"}
 * notify: appends "notify <record_id> <pid>\n", sets {"provider_id":"msg-<record_id>"}.
 * export_record: appends "export <idempotency_key> <pid>\n", sets {"external_id":…}.
 * While fail_file exists, every call fails without a side effect: the file's first line says
 * how — "fail" (FAIL), anything else RETRY. Per record, "cmd":"notify_fail" in the message
 * FAILs and "cmd":"notify_crash" aborts the process (after logging nothing). */
#include "counting_common.h"

typedef struct notifier_instance {
  const reos_host_api* host;
  char log[512];
  char fail_file[512];
} notifier_instance;

static reos_status notifier_create(const reos_host_api* host, reos_call* call, const char* settings,
                                   size_t len, reos_instance** instance) {
  notifier_instance* self = (notifier_instance*)calloc(1, sizeof *self);
  if (!self) return cc_say(host, call, REOS_RETRY, "out of memory");
  self->host = host;
  cc_string(settings, len, "log", self->log, sizeof self->log);
  cc_string(settings, len, "fail_file", self->fail_file, sizeof self->fail_file);
  *instance = self;
  return REOS_OK;
}

static void notifier_destroy(reos_instance* instance) {
  free(instance);
}

/* REOS_OK when the call may go ahead, else the status to return. */
static reos_status forced_failure(notifier_instance* self, reos_call* call, const char* in,
                                  size_t len) {
  if (cc_find(in, len, "\"cmd\":\"notify_crash\"")) abort();
  if (cc_find(in, len, "\"cmd\":\"notify_fail\"")) {
    return cc_say(self->host, call, REOS_FAIL, "recipient rejected");
  }
  if (cc_file_exists(self->fail_file)) {
    char how[64];
    cc_file_text(self->fail_file, how, sizeof how);
    if (strcmp(how, "fail") == 0) return cc_say(self->host, call, REOS_FAIL, "provider refused");
    return cc_say(self->host, call, REOS_RETRY, "provider unavailable");
  }
  return REOS_OK;
}

static reos_status notifier_notify(reos_instance* instance, reos_call* call, const char* message,
                                   size_t len) {
  notifier_instance* self = (notifier_instance*)instance;
  const reos_status forced = forced_failure(self, call, message, len);
  if (forced != REOS_OK) return forced;
  char id[128], line[256], out[256];
  cc_string(message, len, "record_id", id, sizeof id);
  snprintf(line, sizeof line, "notify %s %ld\n", id, (long)getpid());
  cc_log_line(self->log, line);
  snprintf(out, sizeof out, "{\"provider_id\":\"msg-%s\"}", id);
  self->host->set_output(call, out, strlen(out));
  return REOS_OK;
}

static reos_status notifier_export(reos_instance* instance, reos_call* call, const char* record,
                                   size_t len, const char* key, size_t key_len) {
  notifier_instance* self = (notifier_instance*)instance;
  const reos_status forced = forced_failure(self, call, record, len);
  if (forced != REOS_OK) return forced;
  char k[256], line[320], out[320];
  size_t n = key_len < sizeof k - 1 ? key_len : sizeof k - 1;
  memcpy(k, key, n);
  k[n] = '\0';
  snprintf(line, sizeof line, "export %s %ld\n", k, (long)getpid());
  cc_log_line(self->log, line);
  snprintf(out, sizeof out, "{\"external_id\":\"ext-%.16s\"}", k);
  self->host->set_output(call, out, strlen(out));
  return REOS_OK;
}

static const reos_plugin_descriptor counting_notifier = {
    REOS_DESCRIPTOR_HEADER,
    "counting_notifier",
    "1.0.0",
    "test notifier/exporter: every provider call is a line in a log file",
    REOS_KIND_NOTIFIER | REOS_KIND_EXPORTER,
    0,
    NULL,
    notifier_create,
    notifier_destroy,
    NULL,
    NULL,
    NULL,
    notifier_notify,
    notifier_export,
    NULL};

REOS_PLUGIN_DEFINE(counting_notifier)

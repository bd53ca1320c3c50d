/* libreos_counting_enricher.so — an enricher for the pipeline execution tests. Settings:
 *   {"log": "/path", "fail_file": "/path"}
 * Appends "enriched":true to the record and a line "enrich <ListingKey>" to `log`. A record
 * with "cmd":"fail" is refused (FAIL "bad record: no assessor parcel"), "cmd":"drop" is
 * dropped. While fail_file exists: RETRY (retry-after 50 ms) for every record. */
#include "counting_common.h"

typedef struct enricher_instance {
  const reos_host_api* host;
  char log[512];
  char fail_file[512];
} enricher_instance;

static reos_status enricher_create(const reos_host_api* host, reos_call* call, const char* settings,
                                   size_t len, reos_instance** instance) {
  enricher_instance* self = (enricher_instance*)calloc(1, sizeof *self);
  if (!self) return cc_say(host, call, REOS_RETRY, "out of memory");
  self->host = host;
  cc_string(settings, len, "log", self->log, sizeof self->log);
  cc_string(settings, len, "fail_file", self->fail_file, sizeof self->fail_file);
  *instance = self;
  return REOS_OK;
}

static void enricher_destroy(reos_instance* instance) {
  free(instance);
}

static reos_status enricher_enrich(reos_instance* instance, reos_call* call, const char* record,
                                   size_t len) {
  enricher_instance* self = (enricher_instance*)instance;
  const reos_host_api* host = self->host;
  if (cc_file_exists(self->fail_file)) {
    host->set_retry_after(call, 50);
    return cc_say(host, call, REOS_RETRY, "vendor busy");
  }
  if (cc_find(record, len, "\"cmd\":\"fail\"")) {
    return cc_say(host, call, REOS_FAIL, "bad record: no assessor parcel");
  }
  if (cc_find(record, len, "\"cmd\":\"drop\"")) return REOS_OK;
  if (len < 2 || record[len - 1] != '}') return cc_say(host, call, REOS_INVALID, "not an object");
  char key[128], line[192];
  cc_string(record, len, "ListingKey", key, sizeof key);
  snprintf(line, sizeof line, "enrich %s\n", key);
  cc_log_line(self->log, line);
  char* out = (char*)malloc(len + 32);
  if (!out) return cc_say(host, call, REOS_RETRY, "out of memory");
  memcpy(out, record, len - 1);
  const char* tail = len > 2 ? ",\"enriched\":true}" : "\"enriched\":true}";
  strcpy(out + len - 1, tail);
  host->set_output(call, out, strlen(out));
  free(out);
  return REOS_OK;
}

static const reos_plugin_descriptor counting_enricher = {
    REOS_DESCRIPTOR_HEADER,
    "counting_enricher",
    "1.0.0",
    "test enricher: marks records enriched, refuses or drops on command",
    REOS_KIND_ENRICHER,
    0,
    NULL,
    enricher_create,
    enricher_destroy,
    NULL,
    enricher_enrich,
    NULL,
    NULL,
    NULL,
    NULL};

REOS_PLUGIN_DEFINE(counting_enricher)

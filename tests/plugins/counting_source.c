/* libreos_counting_source.so — a source for the pipeline execution tests. Settings:
 *   {"pages": 3, "per_page": 10, "bad_every": 0, "prefix": "L", "fail_file": "/path"}
 * Cursor "" is page 0, "page-K" page K. Page K emits per_page property records numbered
 * n = K*per_page + i: {"ListingKey":"<prefix><n>","n":n,"ListPrice":200000+1000n,"City":…}, City
 * "Seattle" when n % 3 == 0 else "Kent"; with bad_every > 0 every bad_every-th record also
 * carries "cmd":"fail" (the counting enricher refuses it). Sets cursor "page-K+1" with
 * has_more while K+1 < pages. While fail_file exists: RETRY (retry-after 100 ms). */
#include "counting_common.h"

typedef struct source_instance {
  const reos_host_api* host;
  long pages, per_page, bad_every;
  char prefix[32];
  char fail_file[512];
} source_instance;

static reos_status source_create(const reos_host_api* host, reos_call* call, const char* settings,
                                 size_t len, reos_instance** instance) {
  source_instance* self = (source_instance*)calloc(1, sizeof *self);
  if (!self) return cc_say(host, call, REOS_RETRY, "out of memory");
  self->host = host;
  self->pages = cc_int(settings, len, "pages", 3);
  self->per_page = cc_int(settings, len, "per_page", 10);
  self->bad_every = cc_int(settings, len, "bad_every", 0);
  cc_string(settings, len, "fail_file", self->fail_file, sizeof self->fail_file);
  cc_string(settings, len, "prefix", self->prefix, sizeof self->prefix);
  if (self->prefix[0] == '\0') strcpy(self->prefix, "L");
  *instance = self;
  return REOS_OK;
}

static void source_destroy(reos_instance* instance) {
  free(instance);
}

static reos_status source_pull(reos_instance* instance, reos_call* call, const char* cursor,
                               size_t cursor_len) {
  source_instance* self = (source_instance*)instance;
  const reos_host_api* host = self->host;
  if (cc_file_exists(self->fail_file)) {
    host->set_retry_after(call, 100);
    return cc_say(host, call, REOS_RETRY, "source busy");
  }
  long page = 0;
  if (cursor_len > 5 && memcmp(cursor, "page-", 5) == 0) {
    char digits[32] = "";
    size_t n = cursor_len - 5 < sizeof digits - 1 ? cursor_len - 5 : sizeof digits - 1;
    memcpy(digits, cursor + 5, n);
    page = strtol(digits, NULL, 10);
  }
  if (page >= self->pages) {
    host->set_cursor(call, cursor, cursor_len, 0);
    return REOS_OK;
  }
  for (long i = 0; i < self->per_page; ++i) {
    const long n = page * self->per_page + i;
    const int bad = self->bad_every > 0 && n % self->bad_every == self->bad_every - 1;
    char record[256];
    snprintf(record, sizeof record,
             "{\"ListingKey\":\"%s%ld\",\"n\":%ld,\"ListPrice\":%ld,\"City\":\"%s\","
             "\"StandardStatus\":\"Active\"%s}",
             self->prefix, n, n, 200000 + 1000 * n, n % 3 == 0 ? "Seattle" : "Kent",
             bad ? ",\"cmd\":\"fail\"" : "");
    host->emit(call, record, strlen(record));
  }
  char next[32];
  snprintf(next, sizeof next, "page-%ld", page + 1);
  host->set_cursor(call, next, strlen(next), page + 1 < self->pages);
  return REOS_OK;
}

static const reos_plugin_descriptor counting_source = {
    REOS_DESCRIPTOR_HEADER,
    "counting_source",
    "1.0.0",
    "test source: N numbered records per page over a few pages",
    REOS_KIND_SOURCE,
    0,
    NULL,
    source_create,
    source_destroy,
    source_pull,
    NULL,
    NULL,
    NULL,
    NULL,
    NULL};

REOS_PLUGIN_DEFINE(counting_source)

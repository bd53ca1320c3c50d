/*
 * hello_enricher_c — a reos enricher written in plain C99: the teaching example for
 * reos/plugin.h (see README.md).
 *
 * For each listing record (a JSON object) it adds "price_per_sqft" (ListPrice / LivingArea,
 * rounded to cents) when both are numbers and LivingArea > 0, and passes every other record
 * through unchanged. With settings.drop_without_listing_key it drops records that lack a
 * non-empty ListingKey. Input that is not a JSON object is REOS_INVALID.
 *
 * The record is never parsed into a tree: the scanner checks it and finds the members, and
 * the new member is spliced in before the closing '}'.
 */
#include <reos/plugin.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hello_enricher_c_json_scan.h"
#include "hello_enricher_c_settings.h"

/* One instance per tenant connector: created by hec_create, freed by hec_destroy. */
typedef struct hec_instance {
  const reos_host_api* host; /* borrowed: lives for the whole process */
  hec_settings settings;
} hec_instance;

/* Sets the message of a non-OK status and returns the status. */
static reos_status say(const reos_host_api* host, reos_call* call, reos_status status,
                       const char* message) {
  host->set_message(call, message, strlen(message));
  return status;
}

static reos_status hec_create(const reos_host_api* host, reos_call* call, const char* settings,
                              size_t settings_len, reos_instance** instance) {
  char error[256];
  hec_instance* self = (hec_instance*)calloc(1, sizeof *self);
  if (self == NULL) return say(host, call, REOS_RETRY, "hello_enricher_c: out of memory");
  self->host = host;
  if (!hec_settings_parse(settings, settings_len, &self->settings, error, sizeof error)) {
    free(self);
    return say(host, call, REOS_INVALID, error);
  }
  *instance = self; /* OWNERSHIP: ours until hec_destroy */
  return REOS_OK;
}

static void hec_destroy(reos_instance* instance) {
  free(instance);
}

/* What the scan of one record found. */
typedef struct record_facts {
  const char* field; /* settings.field, to detect a record that already has it */
  size_t members;
  int has_listing_key; /* ListingKey present, not null and not "" */
  int has_field;
  int has_price, has_area;
  double price, area;
} record_facts;

static void on_record_member(const hec_json_member* m, void* ctx) {
  record_facts* f = (record_facts*)ctx;
  ++f->members;
  if (hec_json_key_is(m, "ListingKey"))
    f->has_listing_key = !(m->value_len == 4 && memcmp(m->value, "null", 4) == 0) &&
                         !(m->value_len == 2 && memcmp(m->value, "\"\"", 2) == 0);
  else if (hec_json_key_is(m, "ListPrice"))
    f->has_price = hec_json_number(m, &f->price);
  else if (hec_json_key_is(m, "LivingArea"))
    f->has_area = hec_json_number(m, &f->area);
  if (hec_json_key_is(m, f->field)) f->has_field = 1;
}

static reos_status hec_enrich(reos_instance* instance, reos_call* call, const char* record,
                              size_t record_len) {
  const hec_instance* self = (const hec_instance*)instance;
  const reos_host_api* host = self->host;
  record_facts facts;
  size_t close = 0;
  char why[160], message[200], member[HEC_FIELD_MAX + 48];
  double per_sqft;
  long long cents;
  int member_len;
  char* out;
  reos_status status;

  memset(&facts, 0, sizeof facts);
  facts.field = self->settings.field;
  if (!hec_json_scan_object(record, record_len, on_record_member, &facts, &close, why,
                            sizeof why)) {
    snprintf(message, sizeof message, "input is not a JSON object: %s", why);
    return say(host, call, REOS_INVALID, message);
  }

  if (self->settings.drop_without_listing_key && !facts.has_listing_key) {
    static const char note[] = "hello_enricher_c: dropped a record without ListingKey";
    host->log(call, REOS_LOG_DEBUG, note, sizeof note - 1);
    host->counter_add(call, "hello_enricher_c_dropped", 1.0);
    return REOS_OK; /* no set_output: the record is dropped */
  }

  /* Nothing to add (or an upstream value wins): pass the record through unchanged. */
  if (facts.has_field || !facts.has_price || !facts.has_area || facts.area <= 0.0 ||
      facts.price < 0.0 || facts.price / facts.area >= 1e13)
    return host->set_output(call, record, record_len);

  /* Format with integers: "%f" would follow the process locale's decimal point. */
  per_sqft = facts.price / facts.area;
  cents = (long long)(per_sqft * 100.0 + 0.5);
  member_len = snprintf(member, sizeof member, "%s\"%s\":%lld.%02lld", facts.members > 0 ? "," : "",
                        self->settings.field, cents / 100, cents % 100);

  /* record[0..close) + member + record[close..len): the new member goes before the '}'. */
  out = (char*)malloc(record_len + (size_t)member_len);
  if (out == NULL) return say(host, call, REOS_RETRY, "hello_enricher_c: out of memory");
  memcpy(out, record, close);
  memcpy(out + close, member, (size_t)member_len);
  memcpy(out + close + (size_t)member_len, record + close, record_len - close);
  status = host->set_output(call, out, record_len + (size_t)member_len); /* copies */
  free(out);
  return status;
}

static const reos_plugin_descriptor hello_enricher_c_descriptor = {
    REOS_DESCRIPTOR_HEADER,
    .name = "hello_enricher_c",
    .version = "1.0.0",
    .description = "Adds price_per_sqft (ListPrice / LivingArea) to listing records",
    .kinds = REOS_KIND_ENRICHER,
    .flags = REOS_FLAG_THREAD_SAFE, /* instances keep no mutable state */
    .settings_schema = hec_settings_schema,
    .create = hec_create,
    .destroy = hec_destroy,
    .enrich = hec_enrich,
};

REOS_PLUGIN_DEFINE(hello_enricher_c_descriptor)

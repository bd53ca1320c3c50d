/* Settings of hello_enricher_c: schema and parsing (see the header). */
#include "hello_enricher_c_settings.h"

#include <stdio.h>
#include <string.h>

#include "hello_enricher_c_json_scan.h"

const char hec_settings_schema[] =
    "{\"$schema\":\"http://json-schema.org/draft-07/schema#\","
    "\"type\":\"object\",\"additionalProperties\":false,"
    "\"properties\":{"
    "\"field\":{\"type\":\"string\",\"pattern\":\"^[A-Za-z_][A-Za-z0-9_]{0,63}$\","
    "\"default\":\"price_per_sqft\","
    "\"description\":\"name of the field added to each record\"},"
    "\"drop_without_listing_key\":{\"type\":\"boolean\",\"default\":false,"
    "\"description\":\"drop records without a non-empty ListingKey\"}}}";

typedef struct parse_state {
  hec_settings* out;
  char* error;
  size_t error_size;
  int failed;
} parse_state;

static void refuse(parse_state* st, const char* what) {
  if (!st->failed && st->error_size > 0) snprintf(st->error, st->error_size, "%s", what);
  st->failed = 1;
}

static int is_name_char(char c, int first) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
         (!first && c >= '0' && c <= '9');
}

static void on_setting(const hec_json_member* m, void* ctx) {
  parse_state* st = (parse_state*)ctx;
  if (hec_json_key_is(m, "field")) {
    /* A quoted name with no escapes: the raw bytes between the quotes are the name. */
    size_t n = m->value_len >= 2 ? m->value_len - 2 : 0, i;
    if (m->value[0] != '"' || n == 0 || n > HEC_FIELD_MAX) {
      refuse(st, "settings.field: expected a name of 1 to 64 characters");
      return;
    }
    for (i = 0; i < n; ++i)
      if (!is_name_char(m->value[1 + i], i == 0)) {
        refuse(st, "settings.field: must match ^[A-Za-z_][A-Za-z0-9_]*$");
        return;
      }
    memcpy(st->out->field, m->value + 1, n);
    st->out->field[n] = '\0';
  } else if (hec_json_key_is(m, "drop_without_listing_key")) {
    if (m->value_len == 4 && memcmp(m->value, "true", 4) == 0)
      st->out->drop_without_listing_key = 1;
    else if (m->value_len == 5 && memcmp(m->value, "false", 5) == 0)
      st->out->drop_without_listing_key = 0;
    else
      refuse(st, "settings.drop_without_listing_key: expected true or false");
  } else {
    refuse(st, "settings: unknown key (allowed: field, drop_without_listing_key)");
  }
}

int hec_settings_parse(const char* text, size_t len, hec_settings* out, char* error,
                       size_t error_size) {
  parse_state st;
  char why[128];
  strcpy(out->field, "price_per_sqft");
  out->drop_without_listing_key = 0;
  if (text == NULL || len == 0) return 1;
  st.out = out;
  st.error = error;
  st.error_size = error_size;
  st.failed = 0;
  if (!hec_json_scan_object(text, len, on_setting, &st, NULL, why, sizeof why)) {
    if (error_size > 0) snprintf(error, error_size, "settings are not a JSON object: %s", why);
    return 0;
  }
  return !st.failed;
}

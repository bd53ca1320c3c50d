/*
 * hello_enricher_c_settings.h — the settings of hello_enricher_c: their JSON Schema (what
 * the host validates before create) and their parsing into a struct.
 *
 *   field                     name of the field to add (default "price_per_sqft")
 *   drop_without_listing_key  drop records that lack a non-empty ListingKey (default false)
 */
#ifndef HELLO_ENRICHER_C_SETTINGS_H
#define HELLO_ENRICHER_C_SETTINGS_H

#include <stddef.h>

/** Longest accepted `field` name. */
#define HEC_FIELD_MAX 64

typedef struct hec_settings {
  char field[HEC_FIELD_MAX + 1]; /**< NUL-terminated, [A-Za-z_][A-Za-z0-9_]* */
  int drop_without_listing_key;  /**< 0 or 1 */
} hec_settings;

/** JSON Schema (draft-07) of the settings, for the descriptor. */
extern const char hec_settings_schema[];

/** Parses settings text (a JSON object; empty text = all defaults) into *out. Returns 1, or 0
 *  with a message for the operator in error[0..error_size). */
int hec_settings_parse(const char* text, size_t len, hec_settings* out, char* error,
                       size_t error_size);

#endif /* HELLO_ENRICHER_C_SETTINGS_H */

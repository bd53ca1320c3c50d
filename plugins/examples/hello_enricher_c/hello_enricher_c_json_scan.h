/*
 * hello_enricher_c_json_scan.h — just enough JSON for a C plugin: checks that a text is one
 * well-formed JSON object and walks its top-level members, without allocating or decoding.
 *
 * It validates the full grammar (RFC 8259: strings and escapes, numbers, literals, nesting up
 * to HEC_JSON_MAX_DEPTH) but does not decode strings or check UTF-8; the host validates every
 * output again. Member keys are compared as raw bytes, so a key written with escapes
 * ("List\u0050rice") does not match its decoded name.
 */
#ifndef HELLO_ENRICHER_C_JSON_SCAN_H
#define HELLO_ENRICHER_C_JSON_SCAN_H

#include <stddef.h>

/** Deepest nesting of objects and arrays accepted (deeper input is refused, not recursed). */
#define HEC_JSON_MAX_DEPTH 64

/** One top-level member. Every pointer points into the scanned text (borrowed). */
typedef struct hec_json_member {
  const char* key; /**< the key's raw bytes, without the quotes, escapes not decoded */
  size_t key_len;
  const char* value; /**< the value's raw text: `"a"`, `12.5`, `{...}`, `null`, … */
  size_t value_len;
} hec_json_member;

/** Called once per top-level member, in order. */
typedef void (*hec_json_member_fn)(const hec_json_member* member, void* ctx);

/** Checks that text[0..len) is exactly one JSON object (whitespace around it allowed) and
 *  calls on_member (may be NULL) for each of its members. Returns 1 and sets *close_offset
 *  to the index of the object's closing '}' on success; returns 0 and writes a reason with
 *  its byte offset into error[0..error_size) otherwise. */
int hec_json_scan_object(const char* text, size_t len, hec_json_member_fn on_member, void* ctx,
                         size_t* close_offset, char* error, size_t error_size);

/** True when the member's key is exactly `key` (raw bytes). */
int hec_json_key_is(const hec_json_member* member, const char* key);

/** Converts a member value that is a JSON number to a double, independently of the C locale.
 *  Returns 0 (and leaves *out alone) when the value is not a number. */
int hec_json_number(const hec_json_member* member, double* out);

#endif /* HELLO_ENRICHER_C_JSON_SCAN_H */

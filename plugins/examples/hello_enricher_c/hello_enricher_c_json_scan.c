/* A validating, non-allocating scanner for one JSON object (see the header). */
#include "hello_enricher_c_json_scan.h"

#include <stdio.h>
#include <string.h>

typedef struct scanner {
  const char* begin;
  const char* p;
  const char* end;
  const char* error; /* static text; set once, by the first failure */
  int depth;
} scanner;

static int fail(scanner* s, const char* why) {
  if (s->error == NULL) s->error = why;
  return 0;
}

static void skip_ws(scanner* s) {
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r')) ++s->p;
}

static int is_digit(char c) {
  return c >= '0' && c <= '9';
}

static int is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int scan_value(scanner* s);

/* "..." with JSON escapes; raw control characters are not allowed. */
static int scan_string(scanner* s) {
  if (s->p >= s->end || *s->p != '"') return fail(s, "expected a string");
  ++s->p;
  while (s->p < s->end) {
    unsigned char c = (unsigned char)*s->p;
    if (c == '"') {
      ++s->p;
      return 1;
    }
    if (c < 0x20) return fail(s, "control character in string");
    if (c == '\\') {
      ++s->p;
      if (s->p >= s->end) break;
      if (*s->p == 'u') {
        int i;
        for (i = 1; i <= 4; ++i)
          if (s->p + i >= s->end || !is_hex(s->p[i])) return fail(s, "bad \\u escape in string");
        s->p += 4;
      } else if (strchr("\"\\/bfnrt", *s->p) == NULL || *s->p == '\0') {
        return fail(s, "bad escape in string");
      }
    }
    ++s->p;
  }
  return fail(s, "unterminated string");
}

/* -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)? */
static int scan_number(scanner* s) {
  if (s->p < s->end && *s->p == '-') ++s->p;
  if (s->p >= s->end || !is_digit(*s->p)) return fail(s, "bad number");
  if (*s->p == '0') {
    ++s->p;
  } else {
    while (s->p < s->end && is_digit(*s->p)) ++s->p;
  }
  if (s->p < s->end && *s->p == '.') {
    ++s->p;
    if (s->p >= s->end || !is_digit(*s->p)) return fail(s, "bad number");
    while (s->p < s->end && is_digit(*s->p)) ++s->p;
  }
  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
    ++s->p;
    if (s->p < s->end && (*s->p == '+' || *s->p == '-')) ++s->p;
    if (s->p >= s->end || !is_digit(*s->p)) return fail(s, "bad number");
    while (s->p < s->end && is_digit(*s->p)) ++s->p;
  }
  return 1;
}

static int scan_literal(scanner* s, const char* word) {
  size_t n = strlen(word);
  if ((size_t)(s->end - s->p) < n || memcmp(s->p, word, n) != 0) return fail(s, "bad literal");
  s->p += n;
  return 1;
}

/* '{' members '}' — reports members to on_member only for the outermost object. */
static int scan_object(scanner* s, hec_json_member_fn on_member, void* ctx) {
  if (++s->depth > HEC_JSON_MAX_DEPTH) return fail(s, "nested too deeply");
  ++s->p; /* '{' */
  skip_ws(s);
  if (s->p < s->end && *s->p == '}') {
    ++s->p;
    --s->depth;
    return 1;
  }
  for (;;) {
    hec_json_member m;
    skip_ws(s);
    m.key = s->p + 1;
    if (!scan_string(s)) return 0;
    m.key_len = (size_t)(s->p - m.key - 1);
    skip_ws(s);
    if (s->p >= s->end || *s->p != ':') return fail(s, "expected ':' after a key");
    ++s->p;
    skip_ws(s);
    m.value = s->p;
    if (!scan_value(s)) return 0;
    m.value_len = (size_t)(s->p - m.value);
    if (on_member != NULL) on_member(&m, ctx);
    skip_ws(s);
    if (s->p < s->end && *s->p == ',') {
      ++s->p;
      continue;
    }
    if (s->p < s->end && *s->p == '}') {
      ++s->p;
      --s->depth;
      return 1;
    }
    return fail(s, "expected ',' or '}' in object");
  }
}

static int scan_array(scanner* s) {
  if (++s->depth > HEC_JSON_MAX_DEPTH) return fail(s, "nested too deeply");
  ++s->p; /* '[' */
  skip_ws(s);
  if (s->p < s->end && *s->p == ']') {
    ++s->p;
    --s->depth;
    return 1;
  }
  for (;;) {
    skip_ws(s);
    if (!scan_value(s)) return 0;
    skip_ws(s);
    if (s->p < s->end && *s->p == ',') {
      ++s->p;
      continue;
    }
    if (s->p < s->end && *s->p == ']') {
      ++s->p;
      --s->depth;
      return 1;
    }
    return fail(s, "expected ',' or ']' in array");
  }
}

static int scan_value(scanner* s) {
  if (s->p >= s->end) return fail(s, "unexpected end of text");
  switch (*s->p) {
    case '{':
      return scan_object(s, NULL, NULL);
    case '[':
      return scan_array(s);
    case '"':
      return scan_string(s);
    case 't':
      return scan_literal(s, "true");
    case 'f':
      return scan_literal(s, "false");
    case 'n':
      return scan_literal(s, "null");
    default:
      return scan_number(s);
  }
}

int hec_json_scan_object(const char* text, size_t len, hec_json_member_fn on_member, void* ctx,
                         size_t* close_offset, char* error, size_t error_size) {
  scanner s;
  s.begin = text;
  s.p = text;
  s.end = text + len;
  s.error = NULL;
  s.depth = 0;
  if (text == NULL) {
    if (error_size > 0) snprintf(error, error_size, "empty input");
    return 0;
  }
  skip_ws(&s);
  if (s.p >= s.end || *s.p != '{') {
    s.error = s.p >= s.end ? "empty input" : "not a JSON object";
  } else if (scan_object(&s, on_member, ctx)) {
    size_t close = (size_t)(s.p - s.begin) - 1;
    skip_ws(&s);
    if (s.p == s.end) {
      if (close_offset != NULL) *close_offset = close;
      return 1;
    }
    s.error = "text after the object";
  }
  if (error_size > 0)
    snprintf(error, error_size, "%s at byte %lu", s.error, (unsigned long)(s.p - s.begin));
  return 0;
}

int hec_json_key_is(const hec_json_member* member, const char* key) {
  size_t n = strlen(key);
  return member->key_len == n && memcmp(member->key, key, n) == 0;
}

int hec_json_number(const hec_json_member* member, double* out) {
  scanner s;
  double mantissa = 0.0;
  int exponent = 0, exp_sign = 1, exp_value = 0, negative = 0;
  const char* p;
  s.begin = s.p = member->value;
  s.end = member->value + member->value_len;
  s.error = NULL;
  s.depth = 0;
  if (!scan_number(&s) || s.p != s.end) return 0;
  /* The text is a valid JSON number: convert it digit by digit (strtod would follow the
     process locale's decimal point). */
  p = member->value;
  if (*p == '-') {
    negative = 1;
    ++p;
  }
  for (; p < s.end && is_digit(*p); ++p) mantissa = mantissa * 10.0 + (*p - '0');
  if (p < s.end && *p == '.')
    for (++p; p < s.end && is_digit(*p); ++p) {
      mantissa = mantissa * 10.0 + (*p - '0');
      --exponent;
    }
  if (p < s.end && (*p == 'e' || *p == 'E')) {
    ++p;
    if (*p == '+' || *p == '-') exp_sign = *p++ == '-' ? -1 : 1;
    for (; p < s.end && is_digit(*p); ++p)
      if (exp_value < 10000) exp_value = exp_value * 10 + (*p - '0');
  }
  exponent += exp_sign * exp_value;
  for (; exponent > 0 && mantissa < 1e308; --exponent) mantissa *= 10.0;
  for (; exponent < 0 && mantissa > 0.0; ++exponent) mantissa /= 10.0;
  *out = negative ? -mantissa : mantissa;
  return 1;
}

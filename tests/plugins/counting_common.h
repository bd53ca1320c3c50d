/* Helpers shared by the counting_* test plugins (tests/pipeline_exec): tiny JSON field
 * readers for flat settings, and an append-only log file used as a side-effect counter. */
#ifndef COUNTING_COMMON_H
#define COUNTING_COMMON_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reos/plugin.h"

static inline const char* cc_find(const char* hay, size_t hay_len, const char* needle) {
  const size_t n = strlen(needle);
  if (n > hay_len) return NULL;
  for (size_t i = 0; i + n <= hay_len; ++i) {
    if (memcmp(hay + i, needle, n) == 0) return hay + i;
  }
  return NULL;
}

/* The string value of "key":"…" (no escapes) copied into buf, or "" when absent. */
static inline void cc_string(const char* json, size_t len, const char* key, char* buf, size_t cap) {
  char needle[64];
  snprintf(needle, sizeof needle, "\"%s\":\"", key);
  const char* start = cc_find(json, len, needle);
  buf[0] = '\0';
  if (!start) return;
  start += strlen(needle);
  const char* end = start;
  while (end < json + len && *end != '"') ++end;
  size_t n = (size_t)(end - start);
  if (n >= cap) n = cap - 1;
  memcpy(buf, start, n);
  buf[n] = '\0';
}

/* The integer value of "key":N, or `fallback`. */
static inline long cc_int(const char* json, size_t len, const char* key, long fallback) {
  char needle[64];
  snprintf(needle, sizeof needle, "\"%s\":", key);
  const char* at = cc_find(json, len, needle);
  if (!at) return fallback;
  char digits[32];
  size_t i = 0;
  at += strlen(needle);
  while (at < json + len && (*at == ' ')) ++at;
  while (at < json + len && i + 1 < sizeof digits && ((*at >= '0' && *at <= '9') || *at == '-'))
    digits[i++] = *at++;
  digits[i] = '\0';
  return i ? strtol(digits, NULL, 10) : fallback;
}

static inline int cc_file_exists(const char* path) {
  struct stat st;
  return path[0] != '\0' && stat(path, &st) == 0;
}

/* First line of `path` into buf ("" when unreadable). */
static inline void cc_file_text(const char* path, char* buf, size_t cap) {
  buf[0] = '\0';
  FILE* f = fopen(path, "r");
  if (!f) return;
  if (!fgets(buf, (int)cap, f)) buf[0] = '\0';
  fclose(f);
  size_t n = strlen(buf);
  while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' ')) buf[--n] = '\0';
}

/* Appends one line with a single write(O_APPEND): atomic across threads and processes. */
static inline void cc_log_line(const char* path, const char* line) {
  if (path[0] == '\0') return;
  const int fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0644);
  if (fd < 0) return;
  const ssize_t ignored = write(fd, line, strlen(line));
  (void)ignored;
  close(fd);
}

static inline reos_status cc_say(const reos_host_api* host, reos_call* call, reos_status status,
                                 const char* message) {
  host->set_message(call, message, strlen(message));
  return status;
}

#endif

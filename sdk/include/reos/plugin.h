/*
 * reos/plugin.h — the Real Estate OS plugin ABI, version 1.
 *
 * This header is the whole contract between the hub (the "host") and a plugin (a shared
 * object). It is plain C99, compiles as C++17, and depends on nothing but <stddef.h> and
 * <stdint.h>.
 *
 * THE RULES THAT KEEP OLD PLUGINS LOADING
 *   - Every struct that crosses the boundary starts with its own size (`struct_size`) and
 *     only ever grows at its end. A reader uses a field only when `struct_size` covers it
 *     (REOS_HAS_FIELD). Nothing is ever removed, reordered or retyped within a major version.
 *   - A plugin built against ABI 1.x loads in every 1.y host. If the plugin needs services
 *     added in a later minor, it says so in `min_host_minor` and an older host refuses it
 *     with a precise message instead of crashing. A plugin may also probe for a newer
 *     service at run time with REOS_HOST_HAS(host, fn) and do without it.
 *   - Status codes are never reused or renumbered; sdk/CHANGES.md lists, per symbol, the
 *     version that added it.
 *
 * OWNERSHIP
 *   Nothing allocated on one side is freed by the other.
 *   - Plugin → host: outputs (records, results, messages, cursors) go through host
 *     callbacks that COPY; the plugin keeps ownership of what it passes and may free or
 *     reuse it as soon as the callback returns.
 *   - Host → plugin: inputs and service results are BORROWED: valid until the plugin
 *     callback that received (or requested) them returns. Copy what must outlive it.
 *
 * THREADING
 *   One instance is never called from two threads at once, unless its descriptor sets
 *   REOS_FLAG_THREAD_SAFE. Different instances of one plugin may be called concurrently,
 *   so plugin-wide (static) state must be guarded by the plugin. Host services may be
 *   called from the thread running a callback, only during that callback.
 *
 * DEADLINES
 *   Every callback runs under a deadline (REOS_HOST_API.deadline_remaining_ms). A plugin
 *   should return REOS_RETRY before it passes. In-process, the host cannot pre-empt a late
 *   call; it reports the call as REOS_FAIL ("deadline exceeded") when it finally returns.
 *   Out of process (connector setting `isolation: process`), the host kills the child.
 *
 * A plugin exports exactly one symbol, REOS_PLUGIN_ENTRY_SYMBOL, which returns a pointer
 * to a static descriptor and must do nothing else. See sdk/README.md for a tutorial.
 */
#ifndef REOS_PLUGIN_H
#define REOS_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------------------ */
/* Versions and the magic record                                                        */
/* ------------------------------------------------------------------------------------ */

/** ABI major version: a plugin whose major differs from the host's is refused. */
#define REOS_ABI_VERSION_MAJOR 1
/** ABI minor version: grows when services or fields are appended. */
#define REOS_ABI_VERSION_MINOR 0

/** First word of every descriptor: "REOS" in ASCII. Anything else is not a reos plugin. */
#define REOS_PLUGIN_MAGIC 0x534F4552u

/** Name of the one symbol a plugin exports (see reos_plugin_entry_fn). */
#define REOS_PLUGIN_ENTRY_SYMBOL "reos_plugin_entry"

#if defined(__GNUC__) || defined(__clang__)
#define REOS_EXPORT __attribute__((visibility("default")))
#else
#define REOS_EXPORT
#endif

/** `extern "C"` when compiled as C++, nothing in C: gives the entry point C linkage, so
 *  its name is not mangled and the host finds it by REOS_PLUGIN_ENTRY_SYMBOL. */
#ifdef __cplusplus
#define REOS_EXTERN_C extern "C"
#else
#define REOS_EXTERN_C
#endif

/** True when a struct of this reader's view includes `field` (the writer's struct_size
 *  covers it). Use it before reading any field added after 1.0. */
#define REOS_HAS_FIELD(ptr, type, field) \
  ((ptr)->struct_size >= offsetof(type, field) + sizeof(((type*)0)->field))

/** True when the host offers the service `fn` (the table is long enough and it is set). */
#define REOS_HOST_HAS(host, fn) (REOS_HAS_FIELD(host, reos_host_api, fn) && (host)->fn != NULL)

/* ------------------------------------------------------------------------------------ */
/* Status                                                                               */
/* ------------------------------------------------------------------------------------ */

/** What every callback and every host service returns. Values are never reused. */
typedef int32_t reos_status;
/** Done. */
#define REOS_OK 0
/** Temporary failure: try again later (set a delay with set_retry_after). */
#define REOS_RETRY 1
/** Permanent failure for this input: do not retry (say why with set_message). */
#define REOS_FAIL 2
/** The settings or the input are invalid: fix them, do not retry. */
#define REOS_INVALID 3
/** Host services only: the key, secret or blob does not exist. */
#define REOS_NOT_FOUND 4
/** Host services only: the service is not available to this plugin or in this host. */
#define REOS_UNSUPPORTED 5

/* ------------------------------------------------------------------------------------ */
/* Kinds, flags, log levels                                                             */
/* ------------------------------------------------------------------------------------ */

/** Kinds a plugin declares in `kinds` (any combination); each needs its callback set. */
#define REOS_KIND_SOURCE (1u << 0)   /**< pulls pages of records with a cursor: pull */
#define REOS_KIND_ENRICHER (1u << 1) /**< record in → record out, or dropped: enrich */
#define REOS_KIND_SCORER (1u << 2)   /**< features in → score + contributions: score */
#define REOS_KIND_NOTIFIER (1u << 3) /**< message out → provider id: notify */
#define REOS_KIND_EXPORTER (1u << 4) /**< record to an external system, idempotent: export_record \
                                      */
#define REOS_KIND_WEBHOOK (1u << 5)  /**< raw HTTP request → verified events: webhook */

/** The instance may be called from several threads at once. */
#define REOS_FLAG_THREAD_SAFE (1u << 0)

#define REOS_LOG_DEBUG 0
#define REOS_LOG_INFO 1
#define REOS_LOG_WARN 2
#define REOS_LOG_ERROR 3

/* ------------------------------------------------------------------------------------ */
/* Opaque handles and shared structs                                                    */
/* ------------------------------------------------------------------------------------ */

/** One callback invocation, owned by the host. Every host service takes it: it carries the
 *  tenant, connector, correlation id, deadline and the outputs being collected. Valid only
 *  until the callback it was passed to returns. */
typedef struct reos_call reos_call;

/** A plugin's per-connector state, owned by the plugin: created by `create`, released by
 *  `destroy`. The host only passes it back. */
typedef void reos_instance;

/** One HTTP header: a name and a value, not NUL-terminated. */
typedef struct reos_header {
  const char* name;
  size_t name_len;
  const char* value;
  size_t value_len;
} reos_header;

/** An HTTP request: an inbound webhook (host → plugin) or an outbound call made through
 *  the host's client (plugin → host). OWNERSHIP: the side that fills it owns every pointer;
 *  the other side borrows them for the duration of the call. */
typedef struct reos_http_request {
  uint32_t struct_size; /**< sizeof(reos_http_request) of the writer */
  const char* method;   /**< "GET", "POST", … NUL-terminated */
  const char* url;      /**< webhook: the public URL the provider called (for signatures);
                             outbound: the absolute URL. NUL-terminated */
  const reos_header* headers;
  size_t header_count;
  const char* body; /**< raw bytes, exactly as received or to be sent; may be NULL */
  size_t body_len;
  uint32_t timeout_ms; /**< outbound only: 0 = the connector's default */
} reos_http_request;

/** The answer to an outbound request. OWNERSHIP: filled by the host; every pointer is
 *  borrowed by the plugin until the callback that made the request returns. */
typedef struct reos_http_response {
  uint32_t struct_size; /**< set by the plugin to sizeof(reos_http_response) before the call */
  int32_t status;       /**< HTTP status, 0 when no response was received */
  const reos_header* headers;
  size_t header_count;
  const char* body;
  size_t body_len;
} reos_http_response;

/* ------------------------------------------------------------------------------------ */
/* Host services (host → plugin)                                                        */
/* ------------------------------------------------------------------------------------ */

/** The table of host services handed to `create`. Entries are only appended; a plugin
 *  built against an older header simply does not see newer ones. Every service returns a
 *  status; the text of any failure is available through last_error.
 *  OWNERSHIP: the table itself is owned by the host and outlives every instance. */
typedef struct reos_host_api {
  uint32_t struct_size; /**< sizeof(reos_host_api) of the host */
  uint16_t abi_major;   /**< the host's REOS_ABI_VERSION_MAJOR */
  uint16_t abi_minor;   /**< the host's REOS_ABI_VERSION_MINOR */

  /* ---- since 1.0: outputs of the current call (all COPY their input) ---- */

  /** Writes a line to the host's JSON log, tagged with the plugin, connector, tenant and
   *  correlation id. OWNERSHIP: msg is copied. */
  reos_status (*log)(reos_call* call, int32_t level, const char* msg, size_t msg_len);

  /** Source and webhook kinds: emits one record/event (UTF-8 JSON object). May be called
   *  any number of times per call; the host validates the JSON (INVALID if malformed).
   *  OWNERSHIP: json is copied. */
  reos_status (*emit)(reos_call* call, const char* json, size_t json_len);

  /** Enricher, scorer, notifier, exporter: sets the single result (UTF-8 JSON object).
   *  An enricher that sets no output drops the record. A second call replaces the first.
   *  OWNERSHIP: json is copied. */
  reos_status (*set_output)(reos_call* call, const char* json, size_t json_len);

  /** A human-readable reason for a non-OK status, shown to operators.
   *  OWNERSHIP: msg is copied. */
  reos_status (*set_message)(reos_call* call, const char* msg, size_t msg_len);

  /** With REOS_RETRY: the earliest time to try again, in milliseconds from now. */
  reos_status (*set_retry_after)(reos_call* call, uint64_t retry_after_ms);

  /** Source kind: the cursor to resume from after this page, and whether more pages are
   *  ready now. The host stores it only after the emitted records are committed.
   *  OWNERSHIP: cursor is copied. */
  reos_status (*set_cursor)(reos_call* call, const char* cursor, size_t cursor_len,
                            int32_t has_more);

  /* ---- since 1.0: services ---- */

  /** Milliseconds left before this call's deadline (0 when passed). */
  uint64_t (*deadline_remaining_ms)(reos_call* call);

  /** Reads durable per-connector state (kept in PostgreSQL). REOS_NOT_FOUND if unset.
   *  OWNERSHIP: *value is borrowed until the current callback returns. */
  reos_status (*state_get)(reos_call* call, const char* key, size_t key_len, const char** value,
                           size_t* value_len);

  /** Writes durable per-connector state; takes effect when the call's work is committed.
   *  OWNERSHIP: key and value are copied. */
  reos_status (*state_put)(reos_call* call, const char* key, size_t key_len, const char* value,
                           size_t value_len);

  /** Resolves a secret reference from the settings (`${ENV_NAME}` or `file:/path`).
   *  REOS_NOT_FOUND when it does not resolve. OWNERSHIP: *value is borrowed until the current
   *  callback returns; never log it. */
  reos_status (*secret)(reos_call* call, const char* reference, size_t reference_len,
                        const char** value, size_t* value_len);

  /** Makes an HTTP request through the host's client: the connector's timeouts, rate limit,
   *  retries with backoff on 429/5xx (honouring Retry-After), circuit breaker and metrics.
   *  Returns REOS_OK when a response arrived (any status), REOS_RETRY when the circuit is open
   *  or retries ran out, REOS_FAIL on a permanent transport error.
   *  OWNERSHIP: request is borrowed by the host; response fields are borrowed by the plugin
   *  until the current callback returns. */
  reos_status (*http)(reos_call* call, const reos_http_request* request,
                      reos_http_response* response);

  /** Adds `delta` to the counter `name` (exported as reos_plugin_<name>_total with tenant
   *  and connector labels). OWNERSHIP: name is copied. */
  reos_status (*counter_add)(reos_call* call, const char* name, double delta);

  /** Sets the gauge `name` (exported as reos_plugin_<name>). OWNERSHIP: name is copied. */
  reos_status (*gauge_set)(reos_call* call, const char* name, double value);

  /** Stores a blob (a photo, a document) under `key` in the tenant's object store.
   *  OWNERSHIP: key and data are copied. */
  reos_status (*blob_put)(reos_call* call, const char* key, size_t key_len, const void* data,
                          size_t data_len, const char* content_type);

  /** Reads a blob. REOS_NOT_FOUND if absent. OWNERSHIP: *data is borrowed until the current
   *  callback returns. */
  reos_status (*blob_get)(reos_call* call, const char* key, size_t key_len, const void** data,
                          size_t* data_len);

  /** The message of the last service that failed in this call (NUL-terminated, "" if none).
   *  OWNERSHIP: borrowed until the next service call or the callback returns. */
  const char* (*last_error)(reos_call* call);
} reos_host_api;

/* ------------------------------------------------------------------------------------ */
/* The plugin descriptor (plugin → host)                                                */
/* ------------------------------------------------------------------------------------ */

/** Creates an instance for one tenant connector. `settings` is the connector's `settings:`
 *  as a JSON object, already validated against `settings_schema`; secrets in it are still
 *  references (resolve them with host->secret). On REOS_OK, store your state in *instance.
 *  Return REOS_INVALID (with set_message) for settings the schema could not rule out.
 *  OWNERSHIP: host and settings are borrowed (host lives for the process; copy settings);
 *  *instance is owned by the plugin until `destroy`. */
typedef reos_status (*reos_create_fn)(const reos_host_api* host, reos_call* call,
                                      const char* settings, size_t settings_len,
                                      reos_instance** instance);

/** Releases an instance. Called exactly once per successful create, never concurrently
 *  with another callback on the same instance. */
typedef void (*reos_destroy_fn)(reos_instance* instance);

/** Source: fetches the page after `cursor` (empty on the first run), emits each record
 *  with host->emit and the next cursor with host->set_cursor. OWNERSHIP: cursor borrowed. */
typedef reos_status (*reos_pull_fn)(reos_instance* instance, reos_call* call, const char* cursor,
                                    size_t cursor_len);

/** Enricher/transform: sets the changed record with host->set_output, or sets nothing to
 *  drop it. OWNERSHIP: record borrowed. */
typedef reos_status (*reos_enrich_fn)(reos_instance* instance, reos_call* call, const char* record,
                                      size_t record_len);

/** Scorer: sets {"score": number, "contributions": {"feature": number, …}} with
 *  host->set_output. OWNERSHIP: features borrowed. */
typedef reos_status (*reos_score_fn)(reos_instance* instance, reos_call* call, const char* features,
                                     size_t features_len);

/** Notifier: sends one message ({"to", "subject", "text", "html", …} — see
 *  schemas/message.json) and sets {"provider_id": "…"} with host->set_output. Return RETRY
 *  for a temporary provider failure, FAIL for a permanent one. OWNERSHIP: message borrowed. */
typedef reos_status (*reos_notify_fn)(reos_instance* instance, reos_call* call, const char* message,
                                      size_t message_len);

/** Exporter: writes one record to the external system. `idempotency_key` is stable across
 *  retries of the same export; pass it to providers that accept one. Sets
 *  {"external_id": "…"} with host->set_output. OWNERSHIP: record and key borrowed. */
typedef reos_status (*reos_export_fn)(reos_instance* instance, reos_call* call, const char* record,
                                      size_t record_len, const char* idempotency_key,
                                      size_t idempotency_key_len);

/** Webhook: verifies the request (signature, timestamp) and emits one event per item with
 *  host->emit. Return REOS_INVALID when verification fails (the host answers 401) and say
 *  why with set_message. OWNERSHIP: request borrowed. */
typedef reos_status (*reos_webhook_fn)(reos_instance* instance, reos_call* call,
                                       const reos_http_request* request);

/** What a plugin is. OWNERSHIP: static storage in the plugin; the host reads it while the
 *  library is loaded and never writes or frees it. */
typedef struct reos_plugin_descriptor {
  /* ---- the magic record: checked before anything else is read or called ---- */
  uint32_t magic;          /**< REOS_PLUGIN_MAGIC */
  uint16_t abi_major;      /**< REOS_ABI_VERSION_MAJOR the plugin was built with */
  uint16_t abi_minor;      /**< REOS_ABI_VERSION_MINOR the plugin was built with */
  uint32_t struct_size;    /**< sizeof(reos_plugin_descriptor) the plugin was built with */
  uint16_t min_host_minor; /**< the oldest host minor whose services the plugin needs */
  uint16_t reserved;       /**< 0 */

  /* ---- since 1.0: identity ---- */
  const char* name;            /**< unique plugin name, [a-z0-9_]+, e.g. "rets" */
  const char* version;         /**< the plugin's own version, e.g. "1.4.2" */
  const char* description;     /**< one line for `reos plugins list` */
  uint32_t kinds;              /**< REOS_KIND_* bits */
  uint32_t flags;              /**< REOS_FLAG_* bits */
  const char* settings_schema; /**< JSON Schema (draft-07) of the connector settings, or NULL
                                    for "any object" */

  /* ---- since 1.0: callbacks (NULL for kinds not declared) ---- */
  reos_create_fn create;
  reos_destroy_fn destroy;
  reos_pull_fn pull;
  reos_enrich_fn enrich;
  reos_score_fn score;
  reos_notify_fn notify;
  reos_export_fn export_record;
  reos_webhook_fn webhook;
} reos_plugin_descriptor;

/** The exported entry point. Returns the plugin's static descriptor; must not allocate,
 *  call the host or have side effects (the host calls it before checking the magic record). */
typedef const reos_plugin_descriptor* (*reos_plugin_entry_fn)(void);

/** Declares the entry point of a plugin whose descriptor is the static `descriptor`:
 *      static const reos_plugin_descriptor my_plugin = { REOS_DESCRIPTOR_HEADER, … };
 *      REOS_PLUGIN_DEFINE(my_plugin)                                                     */
#define REOS_PLUGIN_DEFINE(descriptor)                                              \
  REOS_EXTERN_C REOS_EXPORT const reos_plugin_descriptor* reos_plugin_entry(void);  \
  REOS_EXTERN_C REOS_EXPORT const reos_plugin_descriptor* reos_plugin_entry(void) { \
    return &(descriptor);                                                           \
  }

/** The first six fields of a descriptor for a plugin built against this header, with
 *  min_host_minor 0: it loads in every 1.y host and probes newer services with
 *  REOS_HOST_HAS. A plugin that cannot do without a 1.N service sets min_host_minor to N. */
#define REOS_DESCRIPTOR_HEADER                                       \
  REOS_PLUGIN_MAGIC, REOS_ABI_VERSION_MAJOR, REOS_ABI_VERSION_MINOR, \
      (uint32_t)sizeof(reos_plugin_descriptor), 0, 0

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* REOS_PLUGIN_H */

#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "config/config_error.hpp"
#include "pipeline/pipeline_config.hpp"

namespace reos::config {

/// Where the hub keeps its data. An empty `url` means the embedded private cluster that
/// scripts/pg.sh manages under `embedded_dir` (socket in `<embedded_dir>/run`).
struct DatabaseConfig {
  std::string url;           ///< libpq conninfo or postgresql:// URI; "" = embedded cluster
  std::string embedded_dir;  ///< absolute (resolved against the config file's folder)
  int embedded_port = 54329;
  std::string embedded_name = "reos";  ///< database name inside the embedded cluster
  int pool_size = 8;
  int connect_timeout_ms = 5000;

  /// The libpq connection string the hub uses: `url`, or the embedded cluster's socket.
  std::string conninfo() const;
};

struct HttpConfig {
  std::string bind = "127.0.0.1";
  int port = 8080;  ///< 0 picks a free port (tests)
  int threads = 4;  ///< libmicrohttpd thread-pool size
  std::size_t max_body_bytes = 1048576;
  int shutdown_grace_ms = 10000;  ///< how long in-flight requests may finish after SIGTERM
  int connection_timeout_s = 30;
  /// The base URL providers call (`https://hooks.example.com[/prefix]`); webhook signatures
  /// cover it + path + query. "" = built from the request's Host header (docs/webhooks.md).
  std::string public_url;
  /// Largest webhook body accepted (413 above it); max_body_bytes still applies first.
  std::size_t webhook_max_body_bytes = 1048576;
};

/// hub.yaml `blobs.s3` (docs/blobs.md). Credentials are secret references, resolved when the
/// config is loaded with secrets.
struct S3BlobsConfig {
  std::string endpoint;  ///< scheme://host[:port]
  std::string bucket;
  std::string region = "us-east-1";
  std::string prefix;           ///< "" or "a/b/"
  bool virtual_hosted = false;  ///< url_style: virtual
  std::string access_key_id_reference, secret_access_key_reference, session_token_reference;
  std::string access_key_id, secret_access_key, session_token;  ///< resolved; never log them
  int timeout_ms = 30000;
  int max_retries = 3;
};

/// Where blobs (listing photos, plugins' blobs) are kept (docs/blobs.md).
struct BlobsConfig {
  std::string dir;              ///< absolute; default <database.embedded.dir>/blobs
  std::string store = "local";  ///< local | s3
  S3BlobsConfig s3;
};

struct WorkersConfig {
  int count = 2;
};

/// Retry settings of one job kind (hub.yaml `queue.kinds.<kind>`); see docs/job-queue.md.
struct QueueKindConfig {
  int max_attempts = 5;         ///< total attempts before the job is dead
  int backoff_base_ms = 1000;   ///< ceiling of the first retry's (jittered) wait
  int backoff_cap_ms = 300000;  ///< the ceiling never exceeds this
};

/// The durable job queue (hub.yaml `queue`).
struct QueueConfig {
  int lease_ms = 30000;      ///< how long a claimed job is a worker's before others may recover it
  int batch_size = 64;       ///< jobs claimed per statement
  QueueKindConfig defaults;  ///< kinds not listed under `kinds`
  std::map<std::string, QueueKindConfig> kinds;  ///< per job kind
};

/// The admin API (docs/admin-api.md). Disabled (every admin endpoint answers 401) while
/// `token_reference` is empty.
struct AdminConfig {
  std::string token_reference;  ///< as written in hub.yaml: `${ENV_NAME}` or `file:/path`
  /// The resolved bearer token; never log or print it. Empty when disabled, and when the
  /// config was read without resolving secrets (`reos config get`).
  std::string token;
};

/// One HS256 signing key of the REST API (hub.yaml `auth.jwt_keys[]`, docs/auth.md).
struct JwtKeyConfig {
  std::string kid;
  std::string secret_reference;  ///< `${ENV_NAME}` or `file:/path`
  std::string secret;            ///< resolved (at least 32 bytes); never log it
};

/// REST API authentication and limits (hub.yaml `auth:`, docs/auth.md). Without jwt_keys the
/// auth routes answer 503 "authentication is not configured" (API keys still work).
struct AuthConfig {
  std::vector<JwtKeyConfig> jwt_keys;  ///< the first signs, all verify
  int access_ttl_s = 900;
  int refresh_ttl_s = 2592000;
  int leeway_s = 30;
  int login_failures_per_account = 5;
  int login_failures_per_ip = 30;
  int login_window_s = 900;
  double per_key_rps = 50, per_key_burst = 100;
  double per_tenant_rps = 200, per_tenant_burst = 400;
  double per_ip_rps = 20, per_ip_burst = 40;
};

struct LogConfig {
  std::string level = "info";   ///< trace|debug|info|warn|error|critical|off
  std::string format = "auto";  ///< auto (text on a TTY, else json) | json | text
};

/// One connector instance a tenant switched on (settings are validated by the plugin later).
struct ConnectorConfig {
  std::string id;
  std::string plugin;
  bool enabled = true;
  std::string settings_json;  ///< the `settings:` mapping as JSON text, secrets still referenced
  std::string isolation = "in_process";  ///< in_process | process (a child reos-plugin-host)
  /// Where each node of `settings:` is written: JSON pointer relative to the settings ("" =
  /// the mapping itself) → 1-based {line, column}, so plugin-schema errors can point there.
  std::map<std::string, std::pair<int, int>> settings_positions;
  /// The same for the key naming each node (for "unknown key" errors, placed at the key).
  std::map<std::string, std::pair<int, int>> settings_key_positions;
};

struct TenantConfig {
  std::string file;  ///< the file it came from
  std::string id;
  std::string name;
  std::vector<ConnectorConfig> connectors;
  std::map<std::string, std::string> secrets;  ///< name → reference (`${ENV}` or `file:/path`)
  std::vector<pipeline::PipelineConfig> pipelines;  ///< docs/pipelines.md
  std::string messaging_json;  ///< `messaging:` as JSON; "" when absent (docs/messaging.md)
};

struct HubConfig {
  std::string file;  ///< absolute path of hub.yaml
  DatabaseConfig database;
  HttpConfig http;
  WorkersConfig workers;
  QueueConfig queue;
  BlobsConfig blobs;
  std::vector<std::string> plugin_dirs;  ///< absolute
  std::string tenants_dir;               ///< absolute; "" = no tenants
  LogConfig log;
  AdminConfig admin;
  AuthConfig auth;
  std::vector<TenantConfig> tenants;
};

/// Environment lookup, injectable for tests. Returns nullptr when the variable is unset.
using EnvLookup = const char* (*)(const char*);

/// Loads `path` (hub.yaml), applies `REOS_*` overrides from `environ_entries`
/// (`KEY=VALUE` strings, e.g. from `environ`), validates against schemas/config/hub.json,
/// then loads and validates every `tenants_dir/*.yaml`. Throws ConfigErrors listing every
/// problem found; never returns a partially valid config.
HubConfig load_hub_config(const std::string& path, const std::vector<std::string>& environ_entries,
                          EnvLookup env = nullptr);

/// Validates each file by its kind (a hub file if it is named hub.yaml or its top level has more
/// hub keys — `database`, `http`, `workers`, `log`, … — than tenant keys, else a tenant file);
/// a hub's `tenants_dir` files are checked too, and tenant ids must be unique across all tenant
/// files. Returns every error (hub files first, then tenant files), empty when all are valid.
std::vector<ConfigError> check_config_files(const std::vector<std::string>& paths,
                                            EnvLookup env = nullptr);

/// Value at a dotted key path of a loaded hub.yaml with overrides applied, rendered as YAML
/// scalar text (used by scripts: `reos config get database.embedded.port`).
std::string config_value(const std::string& path, const std::vector<std::string>& environ_entries,
                         const std::string& key_path);

/// Resolves a secret reference (`${ENV_NAME}` or `file:/path`). Throws ConfigErrors naming
/// the reference (never the value) when it cannot be resolved.
std::string resolve_secret(const std::string& reference, EnvLookup env = nullptr);

}  // namespace reos::config

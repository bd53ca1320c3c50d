#include "config/hub_config.hpp"

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <system_error>

#include "config/env_overrides.hpp"
#include "config/schema_validator.hpp"
#include "config/secret_reference.hpp"
#include "config/tenant_config.hpp"
#include "config/text_file.hpp"
#include "config/yaml_document.hpp"

namespace reos::config {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// A shorter admin token is refused: it could be guessed.
constexpr std::size_t kMinAdminTokenBytes = 16;

std::optional<YamlDocument> read_document(const std::string& path,
                                          std::vector<ConfigError>& errors) {
  std::string text;
  if (const std::string reason = read_text_file(path, text); !reason.empty()) {
    errors.push_back({path, 0, 0, "", "cannot read file: " + reason});
    return std::nullopt;
  }
  YamlDocument doc(path);
  if (!parse_yaml_document(text, doc, errors)) return std::nullopt;
  return doc;
}

template <typename T>
T get(const json& root, const char* pointer, T fallback) {
  return root.value(json::json_pointer(pointer), fallback);
}

bool present(const json& root, const char* pointer) {
  return root.contains(json::json_pointer(pointer));
}

std::string normal(fs::path path) {
  path = path.lexically_normal();
  if (!path.has_filename() && path.has_relative_path()) path = path.parent_path();
  return path.string();
}

// Paths written in the file are relative to the file's folder, which is what a reader of the
// file expects; a path given in an override is relative to where the command was run.
std::string resolve_path(const YamlDocument& doc, const char* pointer, const std::string& value,
                         const fs::path& file_dir) {
  const fs::path path(value);
  if (path.is_absolute()) return normal(path);
  const bool from_env = doc.origin_of(pointer).value.source.rfind("env:", 0) == 0;
  return normal((from_env ? fs::current_path() : file_dir) / path);
}

// hub.yaml `blobs.store` / `blobs.s3` (docs/blobs.md). S3 needs endpoint and bucket; its
// credentials are secret references, resolved like admin.token.
void load_blob_store_config(const YamlDocument& doc, const json& root, EnvLookup env,
                            bool resolve_secrets, BlobsConfig& blobs,
                            std::vector<ConfigError>& errors) {
  blobs.store = get<std::string>(root, "/blobs/store", blobs.store);
  S3BlobsConfig& s3 = blobs.s3;
  s3.endpoint = get<std::string>(root, "/blobs/s3/endpoint", "");
  s3.bucket = get<std::string>(root, "/blobs/s3/bucket", "");
  s3.region = get<std::string>(root, "/blobs/s3/region", s3.region);
  s3.prefix = get<std::string>(root, "/blobs/s3/prefix", "");
  s3.virtual_hosted = get<std::string>(root, "/blobs/s3/url_style", "path") == "virtual";
  s3.timeout_ms = get(root, "/blobs/s3/timeout_ms", s3.timeout_ms);
  s3.max_retries = get(root, "/blobs/s3/max_retries", s3.max_retries);
  if (blobs.store != "s3") return;
  for (const char* field : {"endpoint", "bucket", "access_key_id", "secret_access_key"}) {
    if (!present(root, ("/blobs/s3/" + std::string(field)).c_str()))
      errors.push_back(error_at(doc, present(root, "/blobs/s3") ? "/blobs/s3" : "/blobs/store",
                                field + std::string(" is required when blobs.store is s3")));
  }
  const std::pair<const char*, std::pair<std::string*, std::string*>> secrets[] = {
      {"/blobs/s3/access_key_id", {&s3.access_key_id_reference, &s3.access_key_id}},
      {"/blobs/s3/secret_access_key", {&s3.secret_access_key_reference, &s3.secret_access_key}},
      {"/blobs/s3/session_token", {&s3.session_token_reference, &s3.session_token}}};
  for (const auto& [pointer, target] : secrets) {
    *target.first = get<std::string>(root, pointer, "");
    if (!resolve_secrets || target.first->empty()) continue;
    try {
      *target.second = resolve_secret(*target.first, env);
    } catch (const ConfigErrors& failure) {
      for (const ConfigError& error : failure.errors())
        errors.push_back(error_at(doc, pointer, error.message));
    }
  }
}

// The effective `blobs:` section; credentials as their references, never resolved.
json blobs_values(const BlobsConfig& blobs) {
  json out = {{"dir", blobs.dir}, {"store", blobs.store}};
  if (blobs.store == "s3") {
    const S3BlobsConfig& s3 = blobs.s3;
    out["s3"] = {{"endpoint", s3.endpoint},
                 {"bucket", s3.bucket},
                 {"region", s3.region},
                 {"prefix", s3.prefix},
                 {"url_style", s3.virtual_hosted ? "virtual" : "path"},
                 {"access_key_id", s3.access_key_id_reference},
                 {"secret_access_key", s3.secret_access_key_reference},
                 {"session_token", s3.session_token_reference},
                 {"timeout_ms", s3.timeout_ms},
                 {"max_retries", s3.max_retries}};
  }
  return out;
}

// A hub.yaml with its overrides applied, schema-checked, as typed values. `errors` is
// non-empty when the result must not be used. `raw_url` receives database.url as written.
HubConfig load_hub_file(const std::string& path, const std::vector<std::string>* environ_entries,
                        EnvLookup env, bool resolve_secrets, std::vector<ConfigError>& errors,
                        std::string* raw_url = nullptr) {
  HubConfig hub;
  std::optional<YamlDocument> doc = read_document(path, errors);
  if (!doc) return hub;
  if (environ_entries) apply_env_overrides(*environ_entries, *doc, errors);
  validate_against_schema(*doc, "hub.json", errors);
  if (!errors.empty()) {
    sort_by_position(errors);
    return hub;
  }

  const json& root = doc->root();
  const fs::path file = fs::absolute(path).lexically_normal();
  const fs::path dir = file.parent_path();
  hub.file = file.string();

  DatabaseConfig& db = hub.database;
  db.url = get<std::string>(root, "/database/url", "");
  if (raw_url) *raw_url = db.url;
  if (resolve_secrets && is_secret_reference(db.url)) {
    try {
      db.url = resolve_secret(db.url, env);
    } catch (const ConfigErrors& failure) {
      for (const ConfigError& error : failure.errors()) {
        errors.push_back(error_at(*doc, "/database/url", error.message));
      }
    }
  }
  db.embedded_dir =
      present(root, "/database/embedded/dir")
          ? resolve_path(*doc, "/database/embedded/dir",
                         root.at(json::json_pointer("/database/embedded/dir")).get<std::string>(),
                         dir)
          : normal(dir / ".reos");
  db.embedded_port = get(root, "/database/embedded/port", db.embedded_port);
  db.embedded_name = get(root, "/database/embedded/name", db.embedded_name);
  db.pool_size = get(root, "/database/pool_size", db.pool_size);
  db.connect_timeout_ms = get(root, "/database/connect_timeout_ms", db.connect_timeout_ms);

  HttpConfig& http = hub.http;
  http.bind = get(root, "/http/bind", http.bind);
  http.port = get(root, "/http/port", http.port);
  http.threads = get(root, "/http/threads", http.threads);
  http.max_body_bytes = get(root, "/http/max_body_bytes", http.max_body_bytes);
  http.shutdown_grace_ms = get(root, "/http/shutdown_grace_ms", http.shutdown_grace_ms);
  http.connection_timeout_s = get(root, "/http/connection_timeout_s", http.connection_timeout_s);
  http.public_url = get(root, "/http/public_url", http.public_url);
  http.webhook_max_body_bytes =
      get(root, "/http/webhook_max_body_bytes", http.webhook_max_body_bytes);

  hub.blobs.dir =
      present(root, "/blobs/dir")
          ? resolve_path(*doc, "/blobs/dir",
                         root.at(json::json_pointer("/blobs/dir")).get<std::string>(), dir)
          : normal(fs::path(db.embedded_dir) / "blobs");
  load_blob_store_config(*doc, root, env, resolve_secrets, hub.blobs, errors);

  hub.workers.count = get(root, "/workers/count", hub.workers.count);
  QueueConfig& queue = hub.queue;
  queue.lease_ms = get(root, "/queue/lease_ms", queue.lease_ms);
  queue.batch_size = get(root, "/queue/batch_size", queue.batch_size);
  // Iterate in place: copying a json object here trips GCC 12's -Wmaybe-uninitialized at -O3.
  const json::json_pointer kinds_ptr("/queue/kinds");
  static const json kNoKinds = json::object();
  const json& kinds = root.contains(kinds_ptr) ? root.at(kinds_ptr) : kNoKinds;
  for (const auto& [name, value] : kinds.items()) {
    QueueKindConfig& k = queue.kinds[name];
    k.max_attempts = value.value("max_attempts", queue.defaults.max_attempts);
    k.backoff_base_ms = value.value("backoff_base_ms", queue.defaults.backoff_base_ms);
    k.backoff_cap_ms = value.value("backoff_cap_ms", queue.defaults.backoff_cap_ms);
  }
  hub.log.level = get(root, "/log/level", hub.log.level);
  hub.log.format = get(root, "/log/format", hub.log.format);

  // The admin token is a secret reference (the schema refuses anything else); resolved like
  // database.url, and never echoed in an error.
  hub.admin.token_reference = get<std::string>(root, "/admin/token", "");
  if (resolve_secrets && !hub.admin.token_reference.empty()) {
    try {
      hub.admin.token = resolve_secret(hub.admin.token_reference, env);
      if (hub.admin.token.size() < kMinAdminTokenBytes) {
        errors.push_back(error_at(*doc, "/admin/token",
                                  "secret reference " + hub.admin.token_reference +
                                      " must resolve to at least " +
                                      std::to_string(kMinAdminTokenBytes) + " characters"));
        hub.admin.token.clear();
      }
    } catch (const ConfigErrors& failure) {
      for (const ConfigError& error : failure.errors()) {
        errors.push_back(error_at(*doc, "/admin/token", error.message));
      }
    }
  }

  // REST API authentication: signing keys are secret references, resolved like admin.token.
  AuthConfig& auth = hub.auth;
  const json keys = get(root, "/auth/jwt_keys", json::array());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    JwtKeyConfig k;
    k.kid = keys[i].value("kid", "");
    k.secret_reference = keys[i].value("secret", "");
    const std::string pointer = "/auth/jwt_keys/" + std::to_string(i) + "/secret";
    if (resolve_secrets) {
      try {
        k.secret = resolve_secret(k.secret_reference, env);
        if (k.secret.size() < 32) {
          errors.push_back(error_at(
              *doc, pointer.c_str(),
              "secret reference " + k.secret_reference + " must resolve to at least 32 bytes"));
        }
      } catch (const ConfigErrors& failure) {
        for (const ConfigError& error : failure.errors()) {
          errors.push_back(error_at(*doc, pointer.c_str(), error.message));
        }
      }
    }
    auth.jwt_keys.push_back(std::move(k));
  }
  auth.access_ttl_s = get(root, "/auth/access_ttl_s", auth.access_ttl_s);
  auth.refresh_ttl_s = get(root, "/auth/refresh_ttl_s", auth.refresh_ttl_s);
  auth.leeway_s = get(root, "/auth/leeway_s", auth.leeway_s);
  auth.login_failures_per_account =
      get(root, "/auth/login_throttle/per_account", auth.login_failures_per_account);
  auth.login_failures_per_ip = get(root, "/auth/login_throttle/per_ip", auth.login_failures_per_ip);
  auth.login_window_s = get(root, "/auth/login_throttle/window_s", auth.login_window_s);
  auth.per_key_rps = get(root, "/auth/rate_limits/per_key_rps", auth.per_key_rps);
  auth.per_key_burst = get(root, "/auth/rate_limits/per_key_burst", auth.per_key_burst);
  auth.per_tenant_rps = get(root, "/auth/rate_limits/per_tenant_rps", auth.per_tenant_rps);
  auth.per_tenant_burst = get(root, "/auth/rate_limits/per_tenant_burst", auth.per_tenant_burst);
  auth.per_ip_rps = get(root, "/auth/rate_limits/per_ip_rps", auth.per_ip_rps);
  auth.per_ip_burst = get(root, "/auth/rate_limits/per_ip_burst", auth.per_ip_burst);

  const json dirs = get(root, "/plugin_dirs", json::array());
  for (std::size_t i = 0; i < dirs.size(); ++i) {
    const std::string pointer = "/plugin_dirs/" + std::to_string(i);
    hub.plugin_dirs.push_back(resolve_path(*doc, pointer.c_str(), dirs[i].get<std::string>(), dir));
  }

  const std::string tenants_dir = get<std::string>(root, "/tenants_dir", "");
  if (!tenants_dir.empty()) {
    hub.tenants_dir = resolve_path(*doc, "/tenants_dir", tenants_dir, dir);
    std::error_code ec;
    if (!fs::is_directory(hub.tenants_dir, ec)) {
      errors.push_back(error_at(
          *doc, "/tenants_dir",
          "tenants directory " + hub.tenants_dir +
              (fs::exists(hub.tenants_dir, ec) ? " is not a directory" : " does not exist")));
    }
  }
  sort_by_position(errors);
  return hub;
}

// The effective `queue:` section (kinds listed with their settings).
json queue_values(const QueueConfig& queue) {
  json kinds = json::object();
  for (const auto& [kind, k] : queue.kinds) {
    kinds[kind] = {{"max_attempts", k.max_attempts},
                   {"backoff_base_ms", k.backoff_base_ms},
                   {"backoff_cap_ms", k.backoff_cap_ms}};
  }
  return {{"lease_ms", queue.lease_ms}, {"batch_size", queue.batch_size}, {"kinds", kinds}};
}

// The effective `auth:` section; key secrets as their references, never resolved.
json auth_values(const AuthConfig& auth) {
  json keys = json::array();
  for (const JwtKeyConfig& k : auth.jwt_keys)
    keys.push_back({{"kid", k.kid}, {"secret", k.secret_reference}});
  return {{"jwt_keys", keys},
          {"access_ttl_s", auth.access_ttl_s},
          {"refresh_ttl_s", auth.refresh_ttl_s},
          {"leeway_s", auth.leeway_s},
          {"login_throttle",
           {{"per_account", auth.login_failures_per_account},
            {"per_ip", auth.login_failures_per_ip},
            {"window_s", auth.login_window_s}}},
          {"rate_limits",
           {{"per_key_rps", auth.per_key_rps},
            {"per_key_burst", auth.per_key_burst},
            {"per_tenant_rps", auth.per_tenant_rps},
            {"per_tenant_burst", auth.per_tenant_burst},
            {"per_ip_rps", auth.per_ip_rps},
            {"per_ip_burst", auth.per_ip_burst}}}};
}

// What `reos config get` shows: every key with its default filled in and paths resolved.
json effective_values(const HubConfig& hub, const std::string& raw_url) {
  const DatabaseConfig& db = hub.database;
  const HttpConfig& http = hub.http;
  return {
      {"database",
       {{"url", raw_url},  // as written: a reference is never replaced by its secret here
        {"embedded",
         {{"dir", db.embedded_dir}, {"port", db.embedded_port}, {"name", db.embedded_name}}},
        {"pool_size", db.pool_size},
        {"connect_timeout_ms", db.connect_timeout_ms}}},
      {"http",
       {{"bind", http.bind},
        {"port", http.port},
        {"threads", http.threads},
        {"max_body_bytes", http.max_body_bytes},
        {"shutdown_grace_ms", http.shutdown_grace_ms},
        {"connection_timeout_s", http.connection_timeout_s},
        {"public_url", http.public_url},
        {"webhook_max_body_bytes", http.webhook_max_body_bytes}}},
      {"workers", {{"count", hub.workers.count}}},
      {"queue", queue_values(hub.queue)},
      {"blobs", blobs_values(hub.blobs)},
      {"plugin_dirs", hub.plugin_dirs},
      {"tenants_dir", hub.tenants_dir},
      {"log", {{"level", hub.log.level}, {"format", hub.log.format}}},
      {"admin", {{"token", hub.admin.token_reference}}},  // the reference, never the token
      {"auth", auth_values(hub.auth)},
  };
}

// `database.embedded.port`, `plugin_dirs[0]`.
const json* find_key_path(const json& root, const std::string& key_path) {
  const json* node = &root;
  std::size_t i = 0;
  while (i < key_path.size()) {
    if (key_path[i] == '[') {
      const std::size_t close = key_path.find(']', i);
      if (close == std::string::npos || !node->is_array()) return nullptr;
      const std::string digits = key_path.substr(i + 1, close - i - 1);
      if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) {
        return nullptr;
      }
      const std::size_t index = std::stoul(digits);
      if (index >= node->size()) return nullptr;
      node = &(*node)[index];
      i = close + 1;
      if (i < key_path.size() && key_path[i] == '.') ++i;
      continue;
    }
    const std::size_t end = key_path.find_first_of(".[", i);
    const std::string key = key_path.substr(i, end == std::string::npos ? end : end - i);
    if (!node->is_object() || !node->contains(key)) return nullptr;
    node = &(*node)[key];
    i = end == std::string::npos ? key_path.size() : end + (key_path[end] == '.' ? 1 : 0);
  }
  return key_path.empty() ? nullptr : node;
}

// A hub file is named hub.yaml, or has more hub keys than tenant keys at its top level, so a
// hub.yaml renamed for a test (or holding only `log:`) is still checked as a hub.
bool is_hub_file(const std::string& path) {
  const std::string name = fs::path(path).filename().string();
  if (name == "hub.yaml" || name == "hub.yml") return true;
  std::vector<ConfigError> ignored;
  const std::optional<YamlDocument> doc = read_document(path, ignored);
  if (!doc || !doc->root().is_object()) return false;
  int hub_keys = 0;
  int tenant_keys = 0;
  for (const char* key : {"database", "http", "workers", "queue", "blobs", "plugin_dirs",
                          "tenants_dir", "log", "admin", "auth"}) {
    hub_keys += doc->root().contains(key) ? 1 : 0;
  }
  for (const char* key : {"id", "name", "secrets", "connectors"}) {
    tenant_keys += doc->root().contains(key) ? 1 : 0;
  }
  return hub_keys > tenant_keys;
}

// Single-quoted when needed, as libpq's conninfo syntax wants.
std::string conninfo_value(const std::string& value) {
  if (!value.empty() && value.find_first_of(" '\\\t") == std::string::npos) return value;
  std::string quoted = "'";
  for (const char c : value) {
    if (c == '\'' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "'";
}

void append(std::vector<ConfigError>& to, const std::vector<std::vector<ConfigError>>& lists) {
  for (const auto& list : lists) to.insert(to.end(), list.begin(), list.end());
}

}  // namespace

std::string DatabaseConfig::conninfo() const {
  if (!url.empty()) return url;
  const int timeout_s = std::max(1, (connect_timeout_ms + 999) / 1000);
  return "host=" + conninfo_value(embedded_dir + "/run") +
         " port=" + std::to_string(embedded_port) + " dbname=" + conninfo_value(embedded_name) +
         " user=reos connect_timeout=" + std::to_string(timeout_s);
}

HubConfig load_hub_config(const std::string& path, const std::vector<std::string>& environ_entries,
                          EnvLookup env) {
  std::vector<ConfigError> errors;
  HubConfig hub = load_hub_file(path, &environ_entries, env, true, errors);
  if (!errors.empty()) throw ConfigErrors(std::move(errors));
  if (!hub.tenants_dir.empty()) {
    TenantLoadResult tenants = load_tenant_files(tenant_files_in(hub.tenants_dir), env);
    if (!tenants.ok()) {
      append(errors, tenants.errors_by_file);
      throw ConfigErrors(std::move(errors));
    }
    hub.tenants = std::move(tenants.tenants);
  }
  return hub;
}

std::vector<ConfigError> check_config_files(const std::vector<std::string>& paths, EnvLookup env) {
  std::vector<ConfigError> errors;
  std::vector<std::string> tenant_paths;
  std::set<std::string> seen;  // a tenant file named directly and found in tenants_dir counts once
  const auto add_tenant = [&](const std::string& path) {
    std::error_code ec;
    const fs::path canonical = fs::weakly_canonical(path, ec);
    if (seen.insert(ec ? path : canonical.string()).second) tenant_paths.push_back(path);
  };
  for (const std::string& path : paths) {
    if (!is_hub_file(path)) {
      add_tenant(path);
      continue;
    }
    std::vector<ConfigError> hub_errors;
    const HubConfig hub = load_hub_file(path, nullptr, env, true, hub_errors);
    errors.insert(errors.end(), hub_errors.begin(), hub_errors.end());
    if (hub_errors.empty() && !hub.tenants_dir.empty()) {
      for (const std::string& file : tenant_files_in(hub.tenants_dir)) add_tenant(file);
    }
  }
  append(errors, load_tenant_files(tenant_paths, env).errors_by_file);
  return errors;
}

std::string config_value(const std::string& path, const std::vector<std::string>& environ_entries,
                         const std::string& key_path) {
  std::vector<ConfigError> errors;
  std::string raw_url;
  // Scripts ask for the database port before secrets or tenants matter; neither is loaded.
  const HubConfig hub = load_hub_file(path, &environ_entries, nullptr, false, errors, &raw_url);
  if (!errors.empty()) throw ConfigErrors(std::move(errors));
  const json values = effective_values(hub, raw_url);
  const json* value = find_key_path(values, key_path);
  if (!value) throw ConfigErrors({{path, 0, 0, key_path, "no such configuration key"}});
  return value->is_string() ? value->get<std::string>() : value->dump();
}

}  // namespace reos::config

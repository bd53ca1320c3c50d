/*
 * reos/plugin.hpp — a header-only C++17 layer over the C ABI in reos/plugin.h.
 *
 * A plugin is one class. Inputs arrive as nlohmann::json, outputs leave as reos::Result, and
 * one macro writes the descriptor and the exported entry point:
 *
 *     class Scorer : public reos::Plugin {
 *      public:
 *       Scorer(reos::Call& call, const nlohmann::json& settings);  // throw reos::Invalid
 *       reos::Result score(reos::Call& call, const nlohmann::json& features);
 *     };
 *     REOS_CPP_PLUGIN(Scorer, "my_scorer", "1.0.0", "Scores leads by rules",
 *                     REOS_KIND_SCORER, 0, kSettingsSchema);
 *
 * WHICH METHODS MAKE WHICH KIND (checked at compile time against the declared kinds, both
 * ways: a declared kind needs its method, a method needs its declared kind)
 *     REOS_KIND_SOURCE    Result pull(Call&, std::string_view cursor)
 *     REOS_KIND_ENRICHER  Result enrich(Call&, const nlohmann::json& record)
 *     REOS_KIND_SCORER    Result score(Call&, const nlohmann::json& features)
 *     REOS_KIND_NOTIFIER  Result notify(Call&, const nlohmann::json& message)
 *     REOS_KIND_EXPORTER  Result export_record(Call&, const nlohmann::json& record,
 *                                              std::string_view idempotency_key)
 *     REOS_KIND_WEBHOOK   Result webhook(Call&, const reos::WebhookRequest& request)
 *   The json parameters may also be taken by value (the input is moved in). The constructor
 *   is either T(reos::Call&, const nlohmann::json& settings) or T(const nlohmann::json&).
 *
 * EXCEPTIONS NEVER CROSS THE C BOUNDARY. Every callback generated here catches:
 *     reos::Invalid            -> REOS_INVALID, message = what()
 *     reos::Retry              -> REOS_RETRY, retry-after = after(), message = what()
 *     std::exception           -> REOS_FAIL, message = what()
 *     anything else            -> REOS_FAIL, message = "unknown exception"
 *   Input that is not valid JSON is REOS_INVALID "input is not valid JSON: ..."; input (and
 *   settings) that is valid JSON but not an object is REOS_INVALID too. In the constructor,
 *   an nlohmann::json::exception (e.g. settings.at("missing")) is REOS_INVALID "invalid
 *   settings: ...": reading the settings is the constructor's job.
 *
 * OWNERSHIP. `create` builds the object with std::make_unique (inside a small holder,
 * detail::Instance<T>, that also keeps the host table) and releases it to the host as the
 * reos_instance pointer; `destroy` takes it back into a std::unique_ptr and deletes it. That
 * is the only place ownership crosses the boundary. Everything a plugin receives (json
 * inputs, string_views, WebhookRequest) is valid during the method only; everything
 * reos::Call returns is a copy the plugin owns.
 *
 * THREADING. An instance is called from one thread at a time unless the plugin declares
 * REOS_FLAG_THREAD_SAFE, in which case its methods must be safe to run concurrently. This
 * layer keeps no state of its own between calls. A reos::Call is valid only during the method
 * it was passed to and only on that thread.
 */
#ifndef REOS_PLUGIN_HPP
#define REOS_PLUGIN_HPP

#include <reos/plugin.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace reos {

/* ------------------------------------------------------------------------------------------ */
/* Errors a plugin throws (or a host service throws at it)                                     */
/* ------------------------------------------------------------------------------------------ */

/** The settings or the input are invalid: fix them, do not retry. Becomes REOS_INVALID (a
 *  webhook answered 401, a connector refused to start). */
class Invalid : public std::runtime_error {
 public:
  explicit Invalid(const std::string& message) : std::runtime_error(message) {}
};

/** A temporary failure: the host tries again no earlier than `after` from now (0 = the host's
 *  own backoff). Becomes REOS_RETRY. */
class Retry : public std::runtime_error {
 public:
  explicit Retry(const std::string& message) : Retry(std::chrono::milliseconds(0), message) {}
  Retry(std::chrono::milliseconds after, const std::string& message)
      : std::runtime_error(message), after_(after) {}
  /** How long to wait before the next attempt; 0 = the host decides. */
  std::chrono::milliseconds after() const noexcept { return after_; }

 private:
  std::chrono::milliseconds after_;
};

/** A host service refused a request permanently (REOS_FAIL, REOS_INVALID, REOS_UNSUPPORTED
 *  from the table). A plugin that lets it propagate fails the call with its message. */
class ServiceError : public std::runtime_error {
 public:
  ServiceError(reos_status status, const std::string& message)
      : std::runtime_error(message), status_(status) {}
  /** The reos_status the service returned. */
  reos_status status() const noexcept { return status_; }

 private:
  reos_status status_;
};

/* ------------------------------------------------------------------------------------------ */
/* Result                                                                                      */
/* ------------------------------------------------------------------------------------------ */

/** What a plugin method returns: a status, and for OK the single output object (enricher,
 *  scorer, notifier, exporter). Sources and webhooks return ok() and emit with Call::emit. */
class [[nodiscard]] Result {
 public:
  /** Done, no output. From enrich this DROPS the record (see drop()). */
  static Result ok() { return Result(REOS_OK); }
  /** Done; `output` (a JSON object) is handed to host->set_output. */
  static Result ok(nlohmann::json output) {
    Result r(REOS_OK);
    r.output_ = std::move(output);
    return r;
  }
  /** Enricher: drop this record (no output). Same as ok(), spelled out. */
  static Result drop() { return Result(REOS_OK); }
  /** Temporary failure: try again no earlier than `after` from now (0 = the host decides). */
  static Result retry(std::chrono::milliseconds after, std::string message) {
    Result r(REOS_RETRY, std::move(message));
    r.retry_after_ = after;
    return r;
  }
  /** Temporary failure, the delay in milliseconds. */
  static Result retry(std::uint64_t after_ms, std::string message) {
    return retry(std::chrono::milliseconds(static_cast<std::chrono::milliseconds::rep>(after_ms)),
                 std::move(message));
  }
  /** Permanent failure for this input: do not retry. */
  static Result fail(std::string message) { return Result(REOS_FAIL, std::move(message)); }
  /** The input (or settings) is invalid; a webhook that fails verification returns this. */
  static Result invalid(std::string message) { return Result(REOS_INVALID, std::move(message)); }

  /** REOS_OK, REOS_RETRY, REOS_FAIL or REOS_INVALID. */
  reos_status status() const noexcept { return status_; }
  /** The output object, when ok(json) made it. */
  const std::optional<nlohmann::json>& output() const noexcept { return output_; }
  /** The operator-facing reason for a non-OK status ("" for OK). */
  const std::string& message() const noexcept { return message_; }
  /** With REOS_RETRY: the delay before the next attempt. */
  std::chrono::milliseconds retry_after() const noexcept { return retry_after_; }

 private:
  explicit Result(reos_status status, std::string message = {})
      : status_(status), message_(std::move(message)) {}

  reos_status status_;
  std::optional<nlohmann::json> output_;
  std::string message_;
  std::chrono::milliseconds retry_after_{0};
};

/* ------------------------------------------------------------------------------------------ */
/* HTTP                                                                                        */
/* ------------------------------------------------------------------------------------------ */

namespace detail {
inline bool equals_ignoring_case(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}
inline std::string_view view(const char* data, std::size_t size) noexcept {
  return data != nullptr ? std::string_view(data, size) : std::string_view();
}
}  // namespace detail

/** One HTTP header, as strings the owner of the enclosing struct keeps. */
using HttpHeader = std::pair<std::string, std::string>;

/** An outbound request made through the host's HTTP client (Call::http). */
struct HttpRequest {
  std::string method = "GET";            ///< "GET", "POST", …
  std::string url;                       ///< absolute URL
  std::vector<HttpHeader> headers;       ///< sent as given, in order
  std::string body;                      ///< raw bytes; empty = no body
  std::chrono::milliseconds timeout{0};  ///< 0 = the connector's default
};

/** The answer to an outbound request. A copy: the plugin owns it. */
struct HttpResponse {
  int status = 0;                   ///< HTTP status (any: 4xx/5xx are answers too)
  std::vector<HttpHeader> headers;  ///< as received, in order
  std::string body;                 ///< raw bytes

  /** The first header called `name` (case-insensitive), if any. */
  std::optional<std::string> header(std::string_view name) const {
    for (const auto& h : headers)
      if (detail::equals_ignoring_case(h.first, name)) return h.second;
    return std::nullopt;
  }
  /** The body parsed as JSON. Throws std::runtime_error (-> REOS_FAIL) when it is not JSON. */
  nlohmann::json json() const {
    try {
      return nlohmann::json::parse(body);
    } catch (const nlohmann::json::parse_error& e) {
      throw std::runtime_error("HTTP " + std::to_string(status) +
                               " response body is not valid JSON: " + e.what());
    }
  }
};

/** One header of an inbound webhook: borrowed bytes, valid during the webhook call only. */
struct HeaderView {
  std::string_view name;
  std::string_view value;
};

/** An inbound webhook request, exactly as the provider sent it (raw body for signatures).
 *  Every view is borrowed: valid until webhook() returns. */
struct WebhookRequest {
  std::string_view method;          ///< "POST", …
  std::string_view url;             ///< the public URL the provider called
  std::vector<HeaderView> headers;  ///< as received, in order
  std::string_view body;            ///< raw bytes

  /** The first header called `name` (case-insensitive), if any. */
  std::optional<std::string_view> header(std::string_view name) const noexcept {
    for (const auto& h : headers)
      if (detail::equals_ignoring_case(h.name, name)) return h.value;
    return std::nullopt;
  }
  /** The body parsed as JSON; throws reos::Invalid (-> REOS_INVALID -> HTTP 401/400) when it
   *  is not JSON. Verify the signature over `body` before trusting what this returns. */
  nlohmann::json json() const {
    try {
      return nlohmann::json::parse(body.begin(), body.end());
    } catch (const nlohmann::json::parse_error& e) {
      throw Invalid(std::string("webhook body is not valid JSON: ") + e.what());
    }
  }
};

/* ------------------------------------------------------------------------------------------ */
/* Host and Call                                                                               */
/* ------------------------------------------------------------------------------------------ */

/** The host's service table: which ABI it speaks and which services it offers. Lives for the
 *  whole process. */
class Host {
 public:
  explicit Host(const reos_host_api* api) noexcept : api_(api) {}

  /** The host's REOS_ABI_VERSION_MAJOR / _MINOR. */
  std::uint16_t abi_major() const noexcept { return api_->abi_major; }
  std::uint16_t abi_minor() const noexcept { return api_->abi_minor; }

  /** True when the host's table is long enough to hold `service` and it is set: the C++
   *  spelling of REOS_HOST_HAS. Example: host.has(&reos_host_api::blob_get). */
  template <class Member>
  bool has(Member reos_host_api::*service) const noexcept {
    static const reos_host_api probe{};
    const auto offset = static_cast<std::size_t>(reinterpret_cast<const char*>(&(probe.*service)) -
                                                 reinterpret_cast<const char*>(&probe));
    return api_ != nullptr && api_->struct_size >= offset + sizeof(Member) &&
           api_->*service != nullptr;
  }

  /** The C table, for anything this layer does not wrap. */
  const reos_host_api* raw() const noexcept { return api_; }

 private:
  const reos_host_api* api_;
};

/** Log levels of Call::log (the REOS_LOG_* values). */
enum class LogLevel : std::int32_t {
  debug = REOS_LOG_DEBUG,
  info = REOS_LOG_INFO,
  warn = REOS_LOG_WARN,
  error = REOS_LOG_ERROR,
};

/** One callback invocation and the host services usable during it. Valid only inside the
 *  method it was passed to, on that thread. Every value it returns is a copy the plugin owns.
 *
 *  Failures: a service that answers REOS_RETRY throws reos::Retry (the call is retried later
 *  unless the plugin catches it); any other refusal throws reos::ServiceError (the call
 *  fails with the host's message). "Not found" is not an error: it is an empty optional.
 *  log, counter_add and gauge_set are best effort and never throw. */
class Call {
 public:
  Call(const reos_host_api* api, reos_call* call) noexcept : host_(api), call_(call) {}
  Call(const Call&) = delete;
  Call& operator=(const Call&) = delete;

  /** The host's table (versions, capability checks). */
  const Host& host() const noexcept { return host_; }
  /** The C handle, for anything this layer does not wrap. */
  reos_call* raw() const noexcept { return call_; }

  /** Writes a line to the host's log, tagged with plugin, tenant, connector and correlation
   *  id. Best effort. */
  void log(LogLevel level, std::string_view message) const noexcept {
    const reos_host_api* api = host_.raw();
    if (api != nullptr && api->log != nullptr)
      api->log(call_, static_cast<std::int32_t>(level), message.data(), message.size());
  }
  void debug(std::string_view message) const noexcept { log(LogLevel::debug, message); }
  void info(std::string_view message) const noexcept { log(LogLevel::info, message); }
  void warn(std::string_view message) const noexcept { log(LogLevel::warn, message); }
  void error(std::string_view message) const noexcept { log(LogLevel::error, message); }

  /** Source and webhook: emits one record/event (a JSON object; anything else throws
   *  std::invalid_argument). */
  void emit(const nlohmann::json& record) {
    if (!record.is_object())
      throw std::invalid_argument(std::string("emit: a record must be a JSON object, got ") +
                                  record.type_name());
    const std::string text = record.dump();
    check("emit", service(&reos_host_api::emit, "emit")(call_, text.data(), text.size()));
  }

  /** Source: the cursor to resume from after this page, and whether more pages are ready
   *  now. The host stores it only after the emitted records are committed. */
  void set_cursor(std::string_view cursor, bool has_more) {
    check("set_cursor", service(&reos_host_api::set_cursor, "set_cursor")(
                            call_, cursor.data(), cursor.size(), has_more ? 1 : 0));
  }

  /** Time left before this call's deadline (0 when passed). Return Result::retry (or throw
   *  reos::Retry) rather than run past it. */
  std::chrono::milliseconds deadline_remaining() const noexcept {
    const reos_host_api* api = host_.raw();
    if (api == nullptr || api->deadline_remaining_ms == nullptr)
      return std::chrono::milliseconds::max();
    const std::uint64_t ms = api->deadline_remaining_ms(call_);
    const auto max = static_cast<std::uint64_t>(std::chrono::milliseconds::max().count());
    return std::chrono::milliseconds(
        static_cast<std::chrono::milliseconds::rep>(ms < max ? ms : max));
  }

  /** Durable per-connector state (cursors, tokens): the value under `key`, or nullopt. */
  std::optional<std::string> state_get(std::string_view key) {
    const char* value = nullptr;
    std::size_t value_len = 0;
    const reos_status s = service(&reos_host_api::state_get, "state_get")(
        call_, key.data(), key.size(), &value, &value_len);
    if (s == REOS_NOT_FOUND) return std::nullopt;
    check("state_get", s);
    return std::string(detail::view(value, value_len));
  }

  /** Writes durable per-connector state; takes effect when the call's work is committed. */
  void state_put(std::string_view key, std::string_view value) {
    check("state_put", service(&reos_host_api::state_put, "state_put")(
                           call_, key.data(), key.size(), value.data(), value.size()));
  }

  /** Resolves a secret reference from the settings (`${ENV_NAME}` or `file:/path`). Throws
   *  reos::Invalid naming the reference (never a value) when it does not resolve. Never log
   *  the result. */
  std::string secret(std::string_view reference) {
    const char* value = nullptr;
    std::size_t value_len = 0;
    const reos_status s = service(&reos_host_api::secret, "secret")(
        call_, reference.data(), reference.size(), &value, &value_len);
    if (s == REOS_NOT_FOUND)
      throw Invalid("secret reference " + std::string(reference) + " does not resolve");
    check("secret", s);
    return std::string(detail::view(value, value_len));
  }

  /** An HTTP request through the host's client (timeouts, rate limit, retries, circuit
   *  breaker). Returns any response that arrived, whatever its status; throws reos::Retry
   *  when the circuit is open or retries ran out, reos::ServiceError on a permanent
   *  transport error. */
  HttpResponse http(const HttpRequest& request) {
    std::vector<reos_header> headers;
    headers.reserve(request.headers.size());
    for (const auto& h : request.headers)
      headers.push_back(
          reos_header{h.first.data(), h.first.size(), h.second.data(), h.second.size()});
    reos_http_request req{};
    req.struct_size = static_cast<std::uint32_t>(sizeof(reos_http_request));
    req.method = request.method.c_str();
    req.url = request.url.c_str();
    req.headers = headers.empty() ? nullptr : headers.data();
    req.header_count = headers.size();
    req.body = request.body.empty() ? nullptr : request.body.data();
    req.body_len = request.body.size();
    const auto timeout = request.timeout.count();
    req.timeout_ms = timeout <= 0 ? 0u
                     : static_cast<std::uint64_t>(timeout) > 0xFFFFFFFFull
                         ? 0xFFFFFFFFu
                         : static_cast<std::uint32_t>(timeout);
    reos_http_response resp{};
    resp.struct_size = static_cast<std::uint32_t>(sizeof(reos_http_response));
    check("http " + request.method + " " + request.url,
          service(&reos_host_api::http, "http")(call_, &req, &resp));
    HttpResponse out;
    out.status = resp.status;
    out.headers.reserve(resp.header_count);
    for (std::size_t i = 0; i < resp.header_count && resp.headers != nullptr; ++i)
      out.headers.emplace_back(detail::view(resp.headers[i].name, resp.headers[i].name_len),
                               detail::view(resp.headers[i].value, resp.headers[i].value_len));
    out.body = std::string(detail::view(resp.body, resp.body_len));
    return out;
  }

  /** Adds `delta` to the counter reos_plugin_<name>_total. Best effort: false if refused. */
  bool counter_add(const std::string& name, double delta = 1.0) const noexcept {
    const reos_host_api* api = host_.raw();
    return api != nullptr && api->counter_add != nullptr &&
           api->counter_add(call_, name.c_str(), delta) == REOS_OK;
  }

  /** Sets the gauge reos_plugin_<name>. Best effort: false if refused. */
  bool gauge_set(const std::string& name, double value) const noexcept {
    const reos_host_api* api = host_.raw();
    return api != nullptr && api->gauge_set != nullptr &&
           api->gauge_set(call_, name.c_str(), value) == REOS_OK;
  }

  /** Stores a blob (a photo, a document) under `key` in the tenant's object store. */
  void blob_put(std::string_view key, std::string_view data, const std::string& content_type) {
    check("blob_put",
          service(&reos_host_api::blob_put, "blob_put")(call_, key.data(), key.size(), data.data(),
                                                        data.size(), content_type.c_str()));
  }

  /** Reads a blob: its bytes, or nullopt when absent. */
  std::optional<std::string> blob_get(std::string_view key) {
    const void* data = nullptr;
    std::size_t data_len = 0;
    const reos_status s = service(&reos_host_api::blob_get, "blob_get")(
        call_, key.data(), key.size(), &data, &data_len);
    if (s == REOS_NOT_FOUND) return std::nullopt;
    check("blob_get", s);
    return std::string(detail::view(static_cast<const char*>(data), data_len));
  }

 private:
  /** The service's function pointer; throws ServiceError(REOS_UNSUPPORTED) when the host
   *  does not offer it (never calls through NULL). */
  template <class Fn>
  Fn service(Fn reos_host_api::*member, const char* name) const {
    if (!host_.has(member))
      throw ServiceError(REOS_UNSUPPORTED,
                         std::string("host service '") + name + "' is not available");
    return host_.raw()->*member;
  }

  /** Turns a service status into the C++ outcome described on the class. */
  void check(const std::string& what, reos_status status) const {
    if (status == REOS_OK) return;
    const reos_host_api* api = host_.raw();
    const char* err = api->last_error != nullptr ? api->last_error(call_) : nullptr;
    std::string message = what + ": " + (err != nullptr && *err != '\0' ? err : "failed") +
                          " (status " + std::to_string(status) + ")";
    if (status == REOS_RETRY) throw Retry(message);
    throw ServiceError(status, message);
  }

  Host host_;
  reos_call* call_;
};

/* ------------------------------------------------------------------------------------------ */
/* The plugin base class and its registration                                                  */
/* ------------------------------------------------------------------------------------------ */

/** Base of every C++ plugin class. An instance lives at a fixed address owned by the host
 *  between create and destroy, so it is neither copyable nor movable. Optional members the
 *  registration reads:
 *      static constexpr std::uint16_t kMinHostMinor = N;  // needs services of ABI 1.N */
class Plugin {
 public:
  Plugin() = default;
  Plugin(const Plugin&) = delete;
  Plugin& operator=(const Plugin&) = delete;

 protected:
  ~Plugin() = default;
};

namespace detail {

// ---- detection of the kind methods -----------------------------------------------------------

template <class T>
using pull_t =
    decltype(std::declval<T&>().pull(std::declval<Call&>(), std::declval<std::string_view>()));
template <class T>
using enrich_t =
    decltype(std::declval<T&>().enrich(std::declval<Call&>(), std::declval<nlohmann::json>()));
template <class T>
using score_t =
    decltype(std::declval<T&>().score(std::declval<Call&>(), std::declval<nlohmann::json>()));
template <class T>
using notify_t =
    decltype(std::declval<T&>().notify(std::declval<Call&>(), std::declval<nlohmann::json>()));
template <class T>
using export_t = decltype(std::declval<T&>().export_record(
    std::declval<Call&>(), std::declval<nlohmann::json>(), std::declval<std::string_view>()));
template <class T>
using webhook_t = decltype(std::declval<T&>().webhook(std::declval<Call&>(),
                                                      std::declval<const WebhookRequest&>()));

/** True when Op<T> is well-formed and yields a reos::Result. */
template <template <class> class Op, class T, class = void>
struct returns_result : std::false_type {};
template <template <class> class Op, class T>
struct returns_result<Op, T, std::void_t<Op<T>>> : std::is_convertible<Op<T>, Result> {};

template <class T, class = void>
struct min_host_minor : std::integral_constant<std::uint16_t, 0> {};
template <class T>
struct min_host_minor<T, std::void_t<decltype(T::kMinHostMinor)>>
    : std::integral_constant<std::uint16_t, static_cast<std::uint16_t>(T::kMinHostMinor)> {};

constexpr std::uint32_t kAllKinds = REOS_KIND_SOURCE | REOS_KIND_ENRICHER | REOS_KIND_SCORER |
                                    REOS_KIND_NOTIFIER | REOS_KIND_EXPORTER | REOS_KIND_WEBHOOK;
constexpr std::uint32_t kAllFlags = REOS_FLAG_THREAD_SAFE;

constexpr bool declares(std::uint32_t kinds, std::uint32_t kind) {
  return (kinds & kind) != 0;
}

/** Compile-time checks of a plugin class against its declared kinds; each failure is a
 *  static_assert that names the missing or undeclared method. */
template <class T, std::uint32_t Kinds, std::uint32_t Flags>
constexpr bool check_plugin() {
  static_assert(std::is_base_of_v<Plugin, T>, "reos: a plugin class must derive from reos::Plugin");
  static_assert(std::is_constructible_v<T, Call&, const nlohmann::json&> ||
                    std::is_constructible_v<T, const nlohmann::json&>,
                "reos: a plugin class needs a public constructor "
                "T(reos::Call& call, const nlohmann::json& settings) or "
                "T(const nlohmann::json& settings)");
  static_assert(Kinds != 0, "reos: declare at least one REOS_KIND_*");
  static_assert((Kinds & ~kAllKinds) == 0, "reos: unknown REOS_KIND_* bits in kinds");
  static_assert((Flags & ~kAllFlags) == 0, "reos: unknown REOS_FLAG_* bits in flags");

  constexpr bool pull = returns_result<pull_t, T>::value;
  constexpr bool enrich = returns_result<enrich_t, T>::value;
  constexpr bool score = returns_result<score_t, T>::value;
  constexpr bool notify = returns_result<notify_t, T>::value;
  constexpr bool export_record = returns_result<export_t, T>::value;
  constexpr bool webhook = returns_result<webhook_t, T>::value;

  static_assert(!declares(Kinds, REOS_KIND_SOURCE) || pull,
                "reos: REOS_KIND_SOURCE is declared but the class has no "
                "`reos::Result pull(reos::Call&, std::string_view cursor)`");
  static_assert(!declares(Kinds, REOS_KIND_ENRICHER) || enrich,
                "reos: REOS_KIND_ENRICHER is declared but the class has no "
                "`reos::Result enrich(reos::Call&, const nlohmann::json& record)`");
  static_assert(!declares(Kinds, REOS_KIND_SCORER) || score,
                "reos: REOS_KIND_SCORER is declared but the class has no "
                "`reos::Result score(reos::Call&, const nlohmann::json& features)`");
  static_assert(!declares(Kinds, REOS_KIND_NOTIFIER) || notify,
                "reos: REOS_KIND_NOTIFIER is declared but the class has no "
                "`reos::Result notify(reos::Call&, const nlohmann::json& message)`");
  static_assert(!declares(Kinds, REOS_KIND_EXPORTER) || export_record,
                "reos: REOS_KIND_EXPORTER is declared but the class has no `reos::Result "
                "export_record(reos::Call&, const nlohmann::json& record, std::string_view key)`");
  static_assert(!declares(Kinds, REOS_KIND_WEBHOOK) || webhook,
                "reos: REOS_KIND_WEBHOOK is declared but the class has no "
                "`reos::Result webhook(reos::Call&, const reos::WebhookRequest& request)`");

  static_assert(!pull || declares(Kinds, REOS_KIND_SOURCE),
                "reos: the class implements pull() but does not declare REOS_KIND_SOURCE");
  static_assert(!enrich || declares(Kinds, REOS_KIND_ENRICHER),
                "reos: the class implements enrich() but does not declare REOS_KIND_ENRICHER");
  static_assert(!score || declares(Kinds, REOS_KIND_SCORER),
                "reos: the class implements score() but does not declare REOS_KIND_SCORER");
  static_assert(!notify || declares(Kinds, REOS_KIND_NOTIFIER),
                "reos: the class implements notify() but does not declare REOS_KIND_NOTIFIER");
  static_assert(!export_record || declares(Kinds, REOS_KIND_EXPORTER),
                "reos: the class implements export_record() but does not declare "
                "REOS_KIND_EXPORTER");
  static_assert(!webhook || declares(Kinds, REOS_KIND_WEBHOOK),
                "reos: the class implements webhook() but does not declare REOS_KIND_WEBHOOK");
  return true;
}

/** True when `name` matches [a-z0-9_]+ (checked at compile time by REOS_CPP_PLUGIN). */
constexpr bool valid_name(const char* name) {
  if (name == nullptr || *name == '\0') return false;
  for (; *name != '\0'; ++name) {
    const char c = *name;
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

/** True when `text` is a non-empty string. */
constexpr bool non_empty(const char* text) {
  return text != nullptr && *text != '\0';
}

// ---- the C side ------------------------------------------------------------------------------

/** What the host's reos_instance pointer points at: the plugin object plus the host table the
 *  callbacks need. Built by create with std::make_unique, deleted by destroy. */
template <class T>
struct Instance {
  template <class... Args>
  explicit Instance(const reos_host_api* host_api, Args&&... args)
      : api(host_api), plugin(std::forward<Args>(args)...) {}
  const reos_host_api* api;
  T plugin;
};

/** Sets a non-OK status's message on the call and returns the status. Never throws. */
inline reos_status report(const reos_host_api* api, reos_call* call, reos_status status,
                          const char* message, std::uint64_t retry_after_ms = 0) noexcept {
  if (api != nullptr) {
    if (message != nullptr && *message != '\0' && api->set_message != nullptr)
      api->set_message(call, message, std::strlen(message));
    if (status == REOS_RETRY && retry_after_ms > 0 && api->set_retry_after != nullptr)
      api->set_retry_after(call, retry_after_ms);
  }
  return status;
}

/** Hands a Result to the host (output, message, retry-after) and returns its status. */
inline reos_status deliver(Call& call, const Result& result) {
  const reos_host_api* api = call.host().raw();
  if (result.output().has_value()) {
    const nlohmann::json& output = *result.output();
    if (!output.is_object())
      throw std::logic_error(std::string("plugin bug: the output must be a JSON object, got ") +
                             output.type_name());
    const std::string text = output.dump();
    if (api->set_output == nullptr)
      throw ServiceError(REOS_UNSUPPORTED, "host service 'set_output' is not available");
    const reos_status s = api->set_output(call.raw(), text.data(), text.size());
    if (s != REOS_OK) {
      const char* err = api->last_error != nullptr ? api->last_error(call.raw()) : nullptr;
      throw ServiceError(s, std::string("set_output: ") + (err != nullptr ? err : "refused") +
                                " (status " + std::to_string(s) + ")");
    }
  }
  const auto after = result.retry_after().count();
  return report(api, call.raw(), result.status(), result.message().c_str(),
                after > 0 ? static_cast<std::uint64_t>(after) : 0);
}

/** Runs one plugin method and maps every outcome, thrown or returned, to a reos_status. The
 *  one place exceptions stop. */
template <class Fn>
reos_status guard(Call& call, Fn&& fn) noexcept {
  const reos_host_api* api = call.host().raw();
  try {
    return deliver(call, fn());
  } catch (const Invalid& e) {
    return report(api, call.raw(), REOS_INVALID, e.what());
  } catch (const Retry& e) {
    const auto after = e.after().count();
    return report(api, call.raw(), REOS_RETRY, e.what(),
                  after > 0 ? static_cast<std::uint64_t>(after) : 0);
  } catch (const std::exception& e) {
    return report(api, call.raw(), REOS_FAIL, e.what());
  } catch (...) {
    return report(api, call.raw(), REOS_FAIL, "unknown exception");
  }
}

/** Parses text that must be one JSON object: an input ("input is not valid JSON: …",
 *  "input must be a JSON object, got array") or the settings (where empty text counts as {}). */
enum class Text { input, settings };
inline nlohmann::json parse_object(const char* text, std::size_t len, Text what) {
  const bool settings = what == Text::settings;
  if (settings && (text == nullptr || len == 0)) return nlohmann::json::object();
  const std::string_view view = detail::view(text, len);
  nlohmann::json value;
  try {
    value = nlohmann::json::parse(view.begin(), view.end());
  } catch (const nlohmann::json::parse_error& e) {
    throw Invalid(std::string(settings ? "settings are" : "input is") +
                  " not valid JSON: " + e.what());
  }
  if (!value.is_object())
    throw Invalid(std::string(settings ? "settings" : "input") + " must be a JSON object, got " +
                  value.type_name());
  return value;
}

/** The C callbacks of plugin class T: trampolines that build the C++ arguments, call the
 *  method under guard() and hand back the result. */
template <class T>
struct Callbacks {
  static reos_status create(const reos_host_api* host, reos_call* call, const char* settings,
                            std::size_t settings_len, reos_instance** instance) noexcept {
    if (host == nullptr || instance == nullptr) return REOS_INVALID;
    *instance = nullptr;
    Call c(host, call);
    return guard(c, [&] {
      const nlohmann::json parsed = parse_object(settings, settings_len, Text::settings);
      std::unique_ptr<Instance<T>> object;
      try {
        if constexpr (std::is_constructible_v<T, Call&, const nlohmann::json&>)
          object = std::make_unique<Instance<T>>(host, c, parsed);
        else
          object = std::make_unique<Instance<T>>(host, parsed);
      } catch (const nlohmann::json::exception& e) {
        throw Invalid(std::string("invalid settings: ") + e.what());
      }
      // OWNERSHIP: the object now belongs to the host until it calls destroy.
      *instance = object.release();
      return Result::ok();
    });
  }

  static void destroy(reos_instance* instance) noexcept {
    // OWNERSHIP: taken back from the host; deleted here, exactly once.
    std::unique_ptr<Instance<T>> object(static_cast<Instance<T>*>(instance));
    try {
      object.reset();
    } catch (...) {  // a destructor that throws has nobody to tell
    }
  }

  static reos_status pull(reos_instance* instance, reos_call* call, const char* cursor,
                          std::size_t cursor_len) noexcept {
    auto* self = static_cast<Instance<T>*>(instance);
    Call c(self->api, call);
    return guard(c, [&] { return Result(self->plugin.pull(c, view(cursor, cursor_len))); });
  }

  static reos_status enrich(reos_instance* instance, reos_call* call, const char* record,
                            std::size_t record_len) noexcept {
    auto* self = static_cast<Instance<T>*>(instance);
    Call c(self->api, call);
    return guard(c, [&] {
      return Result(self->plugin.enrich(c, parse_object(record, record_len, Text::input)));
    });
  }

  static reos_status score(reos_instance* instance, reos_call* call, const char* features,
                           std::size_t features_len) noexcept {
    auto* self = static_cast<Instance<T>*>(instance);
    Call c(self->api, call);
    return guard(c, [&] {
      return Result(self->plugin.score(c, parse_object(features, features_len, Text::input)));
    });
  }

  static reos_status notify(reos_instance* instance, reos_call* call, const char* message,
                            std::size_t message_len) noexcept {
    auto* self = static_cast<Instance<T>*>(instance);
    Call c(self->api, call);
    return guard(c, [&] {
      return Result(self->plugin.notify(c, parse_object(message, message_len, Text::input)));
    });
  }

  static reos_status export_record(reos_instance* instance, reos_call* call, const char* record,
                                   std::size_t record_len, const char* key,
                                   std::size_t key_len) noexcept {
    auto* self = static_cast<Instance<T>*>(instance);
    Call c(self->api, call);
    return guard(c, [&] {
      return Result(self->plugin.export_record(c, parse_object(record, record_len, Text::input),
                                               view(key, key_len)));
    });
  }

  static reos_status webhook(reos_instance* instance, reos_call* call,
                             const reos_http_request* request) noexcept {
    auto* self = static_cast<Instance<T>*>(instance);
    Call c(self->api, call);
    return guard(c, [&] {
      if (request == nullptr) throw Invalid("webhook: no request");
      WebhookRequest r;
      r.method = request->method != nullptr ? std::string_view(request->method) : "";
      r.url = request->url != nullptr ? std::string_view(request->url) : "";
      r.body = view(request->body, request->body_len);
      r.headers.reserve(request->header_count);
      for (std::size_t i = 0; i < request->header_count && request->headers != nullptr; ++i)
        r.headers.push_back(
            HeaderView{view(request->headers[i].name, request->headers[i].name_len),
                       view(request->headers[i].value, request->headers[i].value_len)});
      return Result(self->plugin.webhook(c, r));
    });
  }
};

/** The callback of one kind: the trampoline when the kind is declared, else NULL. Only
 *  declared kinds' trampolines are instantiated (a class need not have the other methods). */
template <class T, std::uint32_t Kinds>
constexpr reos_pull_fn pull_callback() {
  if constexpr (declares(Kinds, REOS_KIND_SOURCE)) return &Callbacks<T>::pull;
  return nullptr;
}
template <class T, std::uint32_t Kinds>
constexpr reos_enrich_fn enrich_callback() {
  if constexpr (declares(Kinds, REOS_KIND_ENRICHER)) return &Callbacks<T>::enrich;
  return nullptr;
}
template <class T, std::uint32_t Kinds>
constexpr reos_score_fn score_callback() {
  if constexpr (declares(Kinds, REOS_KIND_SCORER)) return &Callbacks<T>::score;
  return nullptr;
}
template <class T, std::uint32_t Kinds>
constexpr reos_notify_fn notify_callback() {
  if constexpr (declares(Kinds, REOS_KIND_NOTIFIER)) return &Callbacks<T>::notify;
  return nullptr;
}
template <class T, std::uint32_t Kinds>
constexpr reos_export_fn export_callback() {
  if constexpr (declares(Kinds, REOS_KIND_EXPORTER)) return &Callbacks<T>::export_record;
  return nullptr;
}
template <class T, std::uint32_t Kinds>
constexpr reos_webhook_fn webhook_callback() {
  if constexpr (declares(Kinds, REOS_KIND_WEBHOOK)) return &Callbacks<T>::webhook;
  return nullptr;
}

/** The descriptor of plugin class T: constant-initialized, so reos_plugin_entry only returns
 *  its address (no allocation, no side effects, as plugin.h requires). */
template <class T, std::uint32_t Kinds, std::uint32_t Flags>
constexpr reos_plugin_descriptor describe(const char* name, const char* version,
                                          const char* description, const char* settings_schema) {
  return reos_plugin_descriptor{
      REOS_PLUGIN_MAGIC,
      REOS_ABI_VERSION_MAJOR,
      REOS_ABI_VERSION_MINOR,
      static_cast<std::uint32_t>(sizeof(reos_plugin_descriptor)),
      min_host_minor<T>::value,
      0,
      name,
      version,
      description,
      Kinds,
      Flags,
      settings_schema,
      &Callbacks<T>::create,
      &Callbacks<T>::destroy,
      pull_callback<T, Kinds>(),
      enrich_callback<T, Kinds>(),
      score_callback<T, Kinds>(),
      notify_callback<T, Kinds>(),
      export_callback<T, Kinds>(),
      webhook_callback<T, Kinds>(),
  };
}

}  // namespace detail
}  // namespace reos

/** Registers the plugin class `Class`: checks it against `kinds` at compile time, builds its
 *  static descriptor and defines the exported entry point reos_plugin_entry. Use it once per
 *  shared object, at namespace scope, followed by a semicolon.
 *    name             string literal, [a-z0-9_]+ (the library is libreos_<name>.so)
 *    version          the plugin's own version, e.g. "1.0.0"
 *    description      one line for `reos plugins list`
 *    kinds            REOS_KIND_* bits, each matched by its method (see the top of this file)
 *    flags            REOS_FLAG_* bits (0 or REOS_FLAG_THREAD_SAFE)
 *    settings_schema  a constant string (JSON Schema draft-07 of the settings) or nullptr */
#define REOS_CPP_PLUGIN(Class, name, version, description, kinds, flags, settings_schema)      \
  static_assert(::reos::detail::check_plugin<Class, (kinds), (flags)>(),                       \
                "reos: plugin class check");                                                   \
  static_assert(::reos::detail::valid_name(name), "reos: plugin name must match [a-z0-9_]+");  \
  static_assert(::reos::detail::non_empty(version), "reos: plugin version must not be empty"); \
  REOS_EXTERN_C REOS_EXPORT const reos_plugin_descriptor* reos_plugin_entry(void);             \
  REOS_EXTERN_C REOS_EXPORT const reos_plugin_descriptor* reos_plugin_entry(void) {            \
    static constexpr reos_plugin_descriptor descriptor =                                       \
        ::reos::detail::describe<Class, (kinds), (flags)>(name, version, description,          \
                                                          settings_schema);                    \
    return &descriptor;                                                                        \
  }                                                                                            \
  static_assert(true, "")

#endif /* REOS_PLUGIN_HPP */

#include "net/curl_transport.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <mutex>

#include "core/http_headers.hpp"

namespace reos::net {
namespace {

struct EasyDeleter {
  void operator()(CURL* h) const { curl_easy_cleanup(h); }
};
using EasyHandle = std::unique_ptr<CURL, EasyDeleter>;

struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

/// Idle handles kept per client: enough for a few concurrent calls to one provider.
constexpr std::size_t kMaxIdleHandles = 4;

void global_init_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

bool is_token(std::string_view s) {
  static constexpr std::string_view kExtra = "!#$%&'*+-.^_`|~";
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return std::isalnum(c) != 0 || kExtra.find(static_cast<char>(c)) != std::string_view::npos;
  });
}

bool has_line_break(std::string_view s) {
  return s.find_first_of("\r\n") != std::string_view::npos ||
         s.find('\0') != std::string_view::npos;
}

/// State of one transfer, reachable from the libcurl callbacks.
struct Transfer {
  std::size_t max_body = 0;
  bool body_too_large = false;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  if (t->body.size() + n > t->max_body) {
    t->body_too_large = true;
    return 0;  // makes libcurl abort with CURLE_WRITE_ERROR
  }
  t->body.append(data, n);
  return n;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  std::string_view line(data, n);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (line.rfind("HTTP/", 0) == 0) {
    t->headers.clear();  // a new response (after 1xx): keep only the final one's headers
  } else if (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {
    if (!t->headers.empty()) {  // obsolete line folding: a continuation of the previous value
      auto pos = line.find_first_not_of(" \t");
      t->headers.back().second += ' ';
      t->headers.back().second += line.substr(pos);
    }
  } else if (auto colon = line.find(':'); colon != std::string_view::npos) {
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    t->headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  }
  return n;
}

TransportFailure classify(CURLcode code, bool nothing_sent) {
  switch (code) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_NOT_BUILT_IN:
    case CURLE_BAD_FUNCTION_ARGUMENT:
    case CURLE_UNKNOWN_OPTION:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_FILESIZE_EXCEEDED:
    case CURLE_BAD_CONTENT_ENCODING:
    case CURLE_TOO_MANY_REDIRECTS:
    case CURLE_OUT_OF_MEMORY:
      return TransportFailure::permanent;
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SSL_CONNECT_ERROR:
      return TransportFailure::before_send;
    case CURLE_OPERATION_TIMEDOUT:
      // Timed out while connecting (no request byte out yet) vs while waiting for the answer.
      return nothing_sent ? TransportFailure::before_send : TransportFailure::after_send;
    default:
      return TransportFailure::after_send;
  }
}

AttemptResult failed(TransportFailure failure, std::string error) {
  AttemptResult r;
  r.failure = failure;
  r.error = std::move(error);
  return r;
}

}  // namespace

struct CurlTransport::Impl {
  std::size_t max_response_bytes;
  std::string user_agent;
  std::mutex mutex;
  std::vector<EasyHandle> idle;  // guarded by mutex

  EasyHandle take() {
    {
      std::lock_guard lock(mutex);
      if (!idle.empty()) {
        EasyHandle h = std::move(idle.back());
        idle.pop_back();
        curl_easy_reset(h.get());  // forgets options, keeps the connection and TLS caches
        return h;
      }
    }
    return EasyHandle(curl_easy_init());
  }

  void give_back(EasyHandle h) {
    std::lock_guard lock(mutex);
    if (idle.size() < kMaxIdleHandles) idle.push_back(std::move(h));
  }
};

CurlTransport::CurlTransport(std::size_t max_response_bytes, std::string user_agent)
    : impl_(std::make_unique<Impl>()) {
  global_init_once();
  impl_->max_response_bytes = max_response_bytes;
  impl_->user_agent = std::move(user_agent);
}

CurlTransport::~CurlTransport() = default;

AttemptResult CurlTransport::send(const plugin_runtime::HttpExchange& request,
                                  std::chrono::milliseconds timeout) {
  const std::string& method = request.method;
  if (!is_token(method))
    return failed(TransportFailure::permanent, "invalid method '" + method + "'");

  Slist header_list;
  bool has_content_type = false, has_expect = false, has_user_agent = false;
  auto append = [&](const std::string& line) -> bool {
    curl_slist* next = curl_slist_append(header_list.get(), line.c_str());
    if (!next) return false;
    header_list.release();
    header_list.reset(next);
    return true;
  };
  for (const auto& [name, value] : request.request_headers) {
    if (!is_token(name) || has_line_break(value))
      return failed(TransportFailure::permanent, "invalid request header '" +
                                                     (is_token(name) ? name : std::string("?")) +
                                                     "' (bad name or line break in value)");
    has_content_type |= core::iequals(name, "Content-Type");
    has_expect |= core::iequals(name, "Expect");
    has_user_agent |= core::iequals(name, "User-Agent");
    // "Name;" is libcurl's spelling of a header with an empty value.
    if (!append(value.empty() ? name + ";" : name + ": " + value))
      return failed(TransportFailure::permanent, "out of memory");
  }
  const bool sends_body =
      !request.request_body.empty() || method == "POST" || method == "PUT" || method == "PATCH";
  if (!has_expect && !append("Expect:"))
    return failed(TransportFailure::permanent, "out of memory");
  if (sends_body && !has_content_type && !append("Content-Type:"))
    return failed(TransportFailure::permanent, "out of memory");

  EasyHandle handle = impl_->take();
  if (!handle) return failed(TransportFailure::permanent, "cannot create a libcurl handle");
  CURL* h = handle.get();

  Transfer transfer;
  transfer.max_body = impl_->max_response_bytes;
  char error_buffer[CURL_ERROR_SIZE] = {0};
  const long timeout_ms = static_cast<long>(std::max<long long>(1, timeout.count()));

  curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);  // no SIGALRM for DNS timeouts: threads
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, header_list.get());
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE,
                   static_cast<curl_off_t>(impl_->max_response_bytes));
  if (!has_user_agent) curl_easy_setopt(h, CURLOPT_USERAGENT, impl_->user_agent.c_str());

  if (method == "HEAD") {
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  } else if (method == "GET" && !sends_body) {
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  } else {
    if (sends_body) {
      // POSTFIELDS borrows the buffer; the exchange outlives the transfer.
      curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.request_body.size()));
      curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.request_body.data());
    }
    if (method != "POST") curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
  }

  const CURLcode code = curl_easy_perform(h);

  AttemptResult result;
  if (code == CURLE_OK) {
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    result.responded = true;
    result.status = static_cast<int>(status);
    result.headers = std::move(transfer.headers);
    result.body = std::move(transfer.body);
  } else if (transfer.body_too_large || code == CURLE_FILESIZE_EXCEEDED) {
    result = failed(TransportFailure::permanent, "response body exceeds the limit of " +
                                                     std::to_string(impl_->max_response_bytes) +
                                                     " bytes");
  } else {
    curl_off_t pretransfer_us = 0;
    curl_easy_getinfo(h, CURLINFO_PRETRANSFER_TIME_T, &pretransfer_us);
    std::string detail = error_buffer[0] ? error_buffer : curl_easy_strerror(code);
    result = failed(classify(code, pretransfer_us == 0), std::move(detail));
  }
  // Detach the per-request buffers before the handle goes back to the pool.
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, nullptr);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
  impl_->give_back(std::move(handle));
  return result;
}

}  // namespace reos::net

#include "http/http_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "http/listen_socket.hpp"
#include "http/problem_json.hpp"
#include "http/request_id.hpp"
#include "log/logger.hpp"

namespace reos::http {
namespace {

// The peer's numeric address ("127.0.0.1", "::1"); "" when MHD cannot tell.
std::string peer_address(MHD_Connection* conn) {
  const MHD_ConnectionInfo* info =
      MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  if (!info || !info->client_addr) return "";
  char buf[INET6_ADDRSTRLEN] = {0};
  const sockaddr* sa = info->client_addr;
  if (sa->sa_family == AF_INET)
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(sa)->sin_addr, buf, sizeof buf);
  else if (sa->sa_family == AF_INET6)
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr, buf, sizeof buf);
  return buf;
}

using Clock = std::chrono::steady_clock;

// Lives from the request line (URI log callback) to MHD's completion notification; MHD
// holds it as the connection's con_cls between the two.
struct RequestContext {
  Clock::time_point started = Clock::now();
  std::string raw_uri;
  bool headers_seen = false;
  bool too_large = false;
  bool responded = false;
  std::string method;
  std::string request_id;
  std::map<std::string, std::string> headers;
  std::string body;
};

struct DaemonStopper {
  void operator()(MHD_Daemon* d) const { MHD_stop_daemon(d); }
};
using DaemonPtr = std::unique_ptr<MHD_Daemon, DaemonStopper>;

struct ResponseDestroyer {
  void operator()(MHD_Response* r) const { MHD_destroy_response(r); }
};

// Clients choose the method string; unknown ones share one label so they cannot grow the
// series count without bound.
const std::string& method_label(const std::string& method) {
  static const std::string known[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
  static const std::string other = "other";
  for (const auto& k : known) {
    if (k == method) return k;
  }
  return other;
}

std::string lowercase(std::string s) {
  for (auto& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

MHD_Result collect_header(void* cls, MHD_ValueKind, const char* key, const char* value) {
  auto& headers = *static_cast<std::map<std::string, std::string>*>(cls);
  auto& slot = headers[lowercase(key ? key : "")];
  if (!slot.empty()) slot += ", ";
  slot += value ? value : "";
  return MHD_YES;
}

}  // namespace

struct HttpServer::Impl {
  Impl(HttpServerSettings s, const Router& r, MetricsRegistry& m)
      : settings(std::move(s)),
        router(r),
        requests_total(m.counter("reos_http_requests_total",
                                 "HTTP requests answered, by route pattern, method and status",
                                 {"route", "method", "status"})),
        request_duration(m.histogram("reos_http_request_duration_seconds",
                                     "Time from request line to response queued",
                                     {"route", "method"}, default_latency_buckets())),
        in_flight(
            m.gauge("reos_http_requests_in_flight", "HTTP requests received and not yet completed")
                .with({})) {}

  HttpServerSettings settings;
  const Router& router;
  Family<Counter>& requests_total;
  Family<Histogram>& request_duration;
  Gauge& in_flight;

  std::mutex lifecycle_mutex;  // serializes start() and stop()
  DaemonPtr daemon;
  UniqueFd listen_fd;           // ours; MHD works on a dup of it
  UniqueFd quiesced_listen_fd;  // MHD's dup, handed back by quiesce; closed after its threads
  std::thread reaper;           // stops a daemon whose handlers outlived the grace period
  std::atomic<int> bound_port{0};
  std::atomic<bool> running{false};
  std::atomic<bool> stopping{false};
  bool started = false;

  std::mutex drain_mutex;
  std::condition_variable drain_cv;
  std::size_t active_requests = 0;

  void request_began() {
    in_flight.inc();
    std::lock_guard lock(drain_mutex);
    ++active_requests;
  }

  void request_ended() {
    in_flight.dec();
    std::lock_guard lock(drain_mutex);
    if (--active_requests == 0) drain_cv.notify_all();
  }

  MHD_Result on_access(MHD_Connection* conn, const char* url, const char* method,
                       const char* upload_data, std::size_t* upload_data_size, RequestContext& ctx);
  MHD_Result dispatch(MHD_Connection* conn, const char* url, RequestContext& ctx);
  MHD_Result respond(MHD_Connection* conn, RequestContext& ctx, Response resp,
                     const std::string& route_label, const std::string& path);

  // C callbacks; `cls` is the Impl.
  static void* on_uri(void* cls, const char* uri, MHD_Connection*);
  static void on_completed(void* cls, MHD_Connection*, void** con_cls, MHD_RequestTerminationCode);
  static MHD_Result on_access_c(void* cls, MHD_Connection* conn, const char* url,
                                const char* method, const char* version, const char* upload_data,
                                std::size_t* upload_data_size, void** con_cls);
  static void on_mhd_log(void* cls, const char* fmt, va_list ap);
};

void* HttpServer::Impl::on_uri(void* cls, const char* uri, MHD_Connection*) {
  auto* self = static_cast<Impl*>(cls);
  try {
    auto ctx = std::make_unique<RequestContext>();
    ctx->raw_uri = uri ? uri : "";
    self->request_began();
    return ctx.release();  // reclaimed in on_completed
  } catch (...) {
    return nullptr;  // on_access_c then creates it
  }
}

void HttpServer::Impl::on_completed(void* cls, MHD_Connection*, void** con_cls,
                                    MHD_RequestTerminationCode code) {
  std::unique_ptr<RequestContext> ctx(static_cast<RequestContext*>(*con_cls));
  *con_cls = nullptr;
  if (!ctx) return;
  if (!ctx->responded && ctx->headers_seen) {
    log::debug("http: request ended without a response",
               {{"request_id", ctx->request_id}, {"termination", std::to_string(code)}});
  }
  static_cast<Impl*>(cls)->request_ended();
}

void HttpServer::Impl::on_mhd_log(void*, const char* fmt, va_list ap) {
  char buf[1024];
  std::vsnprintf(buf, sizeof buf, fmt, ap);
  std::string msg(buf);
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == '\r')) msg.pop_back();
  log::warn("http: libmicrohttpd: " + msg);
}

MHD_Result HttpServer::Impl::on_access_c(void* cls, MHD_Connection* conn, const char* url,
                                         const char* method, const char*, const char* upload_data,
                                         std::size_t* upload_data_size, void** con_cls) {
  auto* self = static_cast<Impl*>(cls);
  // Exceptions must not unwind into C; MHD_NO makes MHD drop the connection.
  try {
    if (*con_cls == nullptr) {
      auto ctx = std::make_unique<RequestContext>();
      ctx->raw_uri = url ? url : "";
      self->request_began();
      *con_cls = ctx.release();
    }
    return self->on_access(conn, url, method, upload_data, upload_data_size,
                           *static_cast<RequestContext*>(*con_cls));
  } catch (const std::exception& e) {
    log::error("http: internal error while handling a request", {{"error", e.what()}});
  } catch (...) {
    log::error("http: internal error while handling a request");
  }
  return MHD_NO;
}

MHD_Result HttpServer::Impl::on_access(MHD_Connection* conn, const char* url, const char* method,
                                       const char* upload_data, std::size_t* upload_data_size,
                                       RequestContext& ctx) {
  const std::size_t limit = settings.max_body_bytes;
  if (!ctx.headers_seen) {
    ctx.headers_seen = true;
    ctx.method = method ? method : "";
    MHD_get_connection_values(conn, MHD_HEADER_KIND, &collect_header, &ctx.headers);
    auto rid = ctx.headers.find("x-request-id");
    ctx.request_id = choose_request_id(rid == ctx.headers.end() ? "" : rid->second);
    auto cl = ctx.headers.find("content-length");
    if (cl != ctx.headers.end()) {
      char* end = nullptr;
      unsigned long long declared = std::strtoull(cl->second.c_str(), &end, 10);
      if (end != cl->second.c_str() && declared > limit) {
        // Answered before the body is read: MHD then discards the connection's input, and a
        // client that sent "Expect: 100-continue" never uploads the body at all.
        ctx.too_large = true;
      }
    }
    if (!ctx.too_large) return MHD_YES;
  } else if (*upload_data_size > 0) {
    if (!ctx.too_large) {
      if (ctx.body.size() + *upload_data_size > limit) {
        ctx.too_large = true;  // chunked upload grew past the limit: drop what we have
        std::string().swap(ctx.body);
      } else {
        ctx.body.append(upload_data, *upload_data_size);
      }
    }
    *upload_data_size = 0;
    return MHD_YES;
  }

  std::string path = url ? url : "";
  log::ScopedContext scope("request_id", ctx.request_id);
  if (ctx.too_large) {
    return respond(
        conn, ctx,
        problem(413, "Content Too Large",
                "request body exceeds the limit of " + std::to_string(limit) + " bytes", path),
        "unmatched", path);
  }
  return dispatch(conn, url, ctx);
}

MHD_Result HttpServer::Impl::dispatch(MHD_Connection* conn, const char* url, RequestContext& ctx) {
  Request req;
  req.method = ctx.method;
  req.path = url ? url : "";
  std::string raw_path = ctx.raw_uri;
  if (auto hash = raw_path.find('#'); hash != std::string::npos) raw_path.resize(hash);
  if (auto q = raw_path.find('?'); q != std::string::npos) {
    req.query = raw_path.substr(q + 1);
    raw_path.resize(q);
  }
  req.headers = std::move(ctx.headers);
  req.body = std::move(ctx.body);
  req.request_id = ctx.request_id;
  req.remote_addr = peer_address(conn);

  RouteMatch m = router.match(req.method, raw_path);
  switch (m.outcome) {
    case RouteMatch::Outcome::not_found:
      return respond(conn, ctx, problem(404, "Not Found", "no route matches " + req.path, req.path),
                     "unmatched", req.path);
    case RouteMatch::Outcome::method_not_allowed: {
      std::string allow;
      for (const auto& a : m.allowed_methods) allow += (allow.empty() ? "" : ", ") + a;
      Response r = problem(405, "Method Not Allowed",
                           req.method + " is not supported here; allowed: " + allow, req.path);
      r.headers.emplace_back("Allow", allow);
      return respond(conn, ctx, std::move(r), "unmatched", req.path);
    }
    case RouteMatch::Outcome::found:
      break;
  }

  req.route = m.pattern;
  req.path_params = std::move(m.params);
  Response resp;
  try {
    resp = (*m.handler)(req);
  } catch (const std::exception& e) {
    log::error("http: handler failed", {{"route", m.pattern}, {"error", e.what()}});
    resp = problem(500, "Internal Server Error",
                   "the request could not be completed; quote request id " + ctx.request_id +
                       " when reporting this",
                   req.path);
  } catch (...) {
    log::error("http: handler failed with a non-standard exception", {{"route", m.pattern}});
    resp = problem(500, "Internal Server Error",
                   "the request could not be completed; quote request id " + ctx.request_id +
                       " when reporting this",
                   req.path);
  }
  if (resp.status < 100 || resp.status > 599) {
    log::error("http: handler returned an invalid status",
               {{"route", m.pattern}, {"status", std::to_string(resp.status)}});
    resp = problem(500, "Internal Server Error", "the request could not be completed", req.path);
  }
  return respond(conn, ctx, std::move(resp), m.pattern, req.path);
}

MHD_Result HttpServer::Impl::respond(MHD_Connection* conn, RequestContext& ctx, Response resp,
                                     const std::string& route_label, const std::string& path) {
  std::unique_ptr<MHD_Response, ResponseDestroyer> r(MHD_create_response_from_buffer(
      resp.body.size(), const_cast<char*>(resp.body.data()), MHD_RESPMEM_MUST_COPY));
  if (!r) return MHD_NO;
  if (!resp.content_type.empty())
    MHD_add_response_header(r.get(), MHD_HTTP_HEADER_CONTENT_TYPE, resp.content_type.c_str());
  for (const auto& [name, value] : resp.headers) {
    if (MHD_add_response_header(r.get(), name.c_str(), value.c_str()) != MHD_YES)
      log::warn("http: dropped an invalid response header", {{"header", name}});
  }
  MHD_add_response_header(r.get(), "X-Request-Id", ctx.request_id.c_str());
  // While draining, keep-alive would let a client pin a worker past the grace period.
  if (stopping.load()) MHD_add_response_header(r.get(), MHD_HTTP_HEADER_CONNECTION, "close");

  MHD_Result queued = MHD_queue_response(conn, static_cast<unsigned>(resp.status), r.get());
  ctx.responded = true;

  const double seconds = std::chrono::duration<double>(Clock::now() - ctx.started).count();
  const std::string& method = method_label(ctx.method);
  requests_total.with({route_label, method, std::to_string(resp.status)}).inc();
  request_duration.with({route_label, method}).observe(seconds);
  char ms[32];
  std::snprintf(ms, sizeof ms, "%.3f", seconds * 1000.0);
  log::info("http request", {{"method", ctx.method},
                             {"path", path},
                             {"route", route_label},
                             {"status", std::to_string(resp.status)},
                             {"duration_ms", ms}});
  return queued;
}

HttpServer::HttpServer(HttpServerSettings settings, const Router& router, MetricsRegistry& metrics)
    : impl_(std::make_unique<Impl>(std::move(settings), router, metrics)) {}

HttpServer::~HttpServer() {
  stop();
  if (impl_->reaper.joinable()) impl_->reaper.join();
}

void HttpServer::start() {
  Impl& s = *impl_;
  std::lock_guard lock(s.lifecycle_mutex);
  if (s.started) throw std::logic_error("http: server already started");
  s.started = true;

  ListenSocket sock = open_listen_socket(s.settings.bind, s.settings.port);
  unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG;
  if (MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES)
    flags |= MHD_USE_EPOLL;
  else if (MHD_is_feature_supported(MHD_FEATURE_POLL) == MHD_YES)
    flags |= MHD_USE_POLL;
  if (sock.ipv6) flags |= MHD_USE_IPv6;
  const unsigned threads = static_cast<unsigned>(std::max(1, s.settings.threads));
  const unsigned timeout = static_cast<unsigned>(std::max(0, s.settings.connection_timeout_s));

  // MHD gets a duplicate: whether it closes the descriptor when MHD_start_daemon fails is
  // not documented, and a double close could hit an unrelated descriptor. Worst case a
  // failed start leaks one descriptor.
  UniqueFd mhd_fd(::fcntl(sock.fd.get(), F_DUPFD_CLOEXEC, 0));
  const std::string where = format_endpoint(s.settings.bind, sock.port);
  if (mhd_fd.get() < 0)
    throw std::runtime_error("http: cannot listen on " + where + ": " + std::strerror(errno));

  MHD_Daemon* d = MHD_start_daemon(
      flags, 0, nullptr, nullptr, &Impl::on_access_c, &s,
      // First, so that MHD's messages about the remaining options reach our logger too.
      MHD_OPTION_EXTERNAL_LOGGER, &Impl::on_mhd_log, &s, MHD_OPTION_LISTEN_SOCKET,
      static_cast<MHD_socket>(mhd_fd.get()), MHD_OPTION_THREAD_POOL_SIZE, threads,
      MHD_OPTION_CONNECTION_TIMEOUT, timeout, MHD_OPTION_NOTIFY_COMPLETED, &Impl::on_completed, &s,
      MHD_OPTION_URI_LOG_CALLBACK, &Impl::on_uri, &s, MHD_OPTION_END);
  if (!d) {
    mhd_fd.release();
    throw std::runtime_error("http: cannot listen on " + where +
                             ": libmicrohttpd failed to start (see the log for its reason)");
  }
  mhd_fd.release();  // the daemon owns it now; MHD_quiesce_daemon hands it back
  s.daemon.reset(d);
  s.listen_fd = std::move(sock.fd);
  s.bound_port = sock.port;
  s.running = true;
  log::info("http: listening", {{"address", where}, {"threads", std::to_string(threads)}});
}

int HttpServer::port() const {
  return impl_->bound_port.load();
}

bool HttpServer::running() const {
  return impl_->running.load();
}

void HttpServer::stop() {
  Impl& s = *impl_;
  std::lock_guard lock(s.lifecycle_mutex);
  if (!s.daemon) return;
  s.running = false;
  s.stopping = true;

  MHD_socket fd = MHD_quiesce_daemon(s.daemon.get());
  if (fd != MHD_INVALID_SOCKET) s.quiesced_listen_fd.reset(fd);
  // MHD forbids closing its descriptor while its threads run, but shutdown() on the socket
  // makes the kernel refuse new connections now and reset those still in the backlog.
  ::shutdown(s.listen_fd.get(), SHUT_RDWR);
  s.listen_fd.reset();

  const auto grace = std::chrono::milliseconds(std::max(0, s.settings.shutdown_grace_ms));
  bool drained;
  std::size_t left;
  {
    std::unique_lock dl(s.drain_mutex);
    drained = s.drain_cv.wait_for(dl, grace, [&] { return s.active_requests == 0; });
    left = s.active_requests;
  }
  if (drained) {
    s.daemon.reset();  // MHD_stop_daemon: closes idle keep-alive connections, joins threads
    s.quiesced_listen_fd.reset();
    log::info("http: stopped");
    return;
  }
  // A handler is still running, and MHD_stop_daemon would wait for it: do that on a
  // background thread so the caller (shutting the process down) is not held past the grace.
  log::warn("http: shutdown grace period expired; abandoning in-flight requests",
            {{"in_flight", std::to_string(left)},
             {"grace_ms", std::to_string(s.settings.shutdown_grace_ms)}});
  s.reaper =
      std::thread([daemon = std::move(s.daemon), fd = std::move(s.quiesced_listen_fd)]() mutable {
        daemon.reset();
        fd.reset();
      });
}

}  // namespace reos::http

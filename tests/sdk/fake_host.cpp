// The fake host's services and the dlopen wrapper (see fake_host.hpp).
#include "fake_host.hpp"

#include <dlfcn.h>

#include <stdexcept>

namespace sdk_test {
namespace {

std::string text(const char* p, size_t n) {
  return p != nullptr ? std::string(p, n) : "";
}

reos_status fail_with(reos_call* call, reos_status status, std::string why) {
  call->last_error = std::move(why);
  return status;
}

reos_status log(reos_call* call, int32_t level, const char* msg, size_t len) {
  call->logs.emplace_back(level, text(msg, len));
  return REOS_OK;
}
reos_status emit(reos_call* call, const char* json, size_t len) {
  call->emitted.push_back(text(json, len));
  return REOS_OK;
}
reos_status set_output(reos_call* call, const char* json, size_t len) {
  call->output = text(json, len);
  return REOS_OK;
}
reos_status set_message(reos_call* call, const char* msg, size_t len) {
  call->message = text(msg, len);
  return REOS_OK;
}
reos_status set_retry_after(reos_call* call, uint64_t ms) {
  call->retry_after_ms = ms;
  return REOS_OK;
}
reos_status set_cursor(reos_call* call, const char* cursor, size_t len, int32_t has_more) {
  call->cursor = text(cursor, len);
  call->has_more = has_more != 0;
  return REOS_OK;
}
uint64_t deadline_remaining_ms(reos_call* call) {
  return call->deadline_ms;
}
reos_status state_get(reos_call* call, const char* key, size_t key_len, const char** value,
                      size_t* value_len) {
  auto it = call->host->state.find(text(key, key_len));
  if (it == call->host->state.end()) return fail_with(call, REOS_NOT_FOUND, "no such key");
  const std::string& kept = call->borrowed.emplace_back(it->second);
  *value = kept.data();
  *value_len = kept.size();
  return REOS_OK;
}
reos_status state_put(reos_call* call, const char* key, size_t key_len, const char* value,
                      size_t value_len) {
  call->host->state[text(key, key_len)] = text(value, value_len);
  return REOS_OK;
}
reos_status secret(reos_call* call, const char* ref, size_t ref_len, const char** value,
                   size_t* value_len) {
  auto it = call->host->secrets.find(text(ref, ref_len));
  if (it == call->host->secrets.end()) return fail_with(call, REOS_NOT_FOUND, "unresolved");
  const std::string& kept = call->borrowed.emplace_back(it->second);
  *value = kept.data();
  *value_len = kept.size();
  return REOS_OK;
}
reos_status http(reos_call* call, const reos_http_request* request, reos_http_response* response) {
  FakeHttp seen;
  seen.method = request->method;
  seen.url = request->url;
  seen.body = text(request->body, request->body_len);
  seen.timeout_ms = request->timeout_ms;
  for (size_t i = 0; i < request->header_count; ++i)
    seen.headers.emplace_back(text(request->headers[i].name, request->headers[i].name_len),
                              text(request->headers[i].value, request->headers[i].value_len));
  call->host->http_requests.push_back(seen);
  const FakeHttpAnswer& a = call->borrowed_answers.emplace_back(
      call->host->http_handler ? call->host->http_handler(seen) : FakeHttpAnswer{});
  if (a.status != REOS_OK) return fail_with(call, a.status, a.error);
  std::vector<reos_header>& headers = call->borrowed_headers.emplace_back();
  for (const auto& h : a.headers)
    headers.push_back(
        reos_header{h.first.data(), h.first.size(), h.second.data(), h.second.size()});
  response->status = a.http_status;
  response->headers = headers.data();
  response->header_count = headers.size();
  response->body = a.body.data();
  response->body_len = a.body.size();
  return REOS_OK;
}
reos_status counter_add(reos_call* call, const char* name, double delta) {
  call->host->counters[name] += delta;
  return REOS_OK;
}
reos_status gauge_set(reos_call* call, const char* name, double value) {
  call->host->gauges[name] = value;
  return REOS_OK;
}
reos_status blob_put(reos_call* call, const char* key, size_t key_len, const void* data,
                     size_t data_len, const char* content_type) {
  call->host->blobs[text(key, key_len)] = {text(static_cast<const char*>(data), data_len),
                                           content_type != nullptr ? content_type : ""};
  return REOS_OK;
}
reos_status blob_get(reos_call* call, const char* key, size_t key_len, const void** data,
                     size_t* data_len) {
  auto it = call->host->blobs.find(text(key, key_len));
  if (it == call->host->blobs.end()) return fail_with(call, REOS_NOT_FOUND, "no such blob");
  const std::string& kept = call->borrowed.emplace_back(it->second.first);
  *data = kept.data();
  *data_len = kept.size();
  return REOS_OK;
}
const char* last_error(reos_call* call) {
  return call->last_error.c_str();
}

}  // namespace

FakeHost::FakeHost() {
  api_.struct_size = sizeof(reos_host_api);
  api_.abi_major = REOS_ABI_VERSION_MAJOR;
  api_.abi_minor = REOS_ABI_VERSION_MINOR;
  api_.log = log;
  api_.emit = emit;
  api_.set_output = set_output;
  api_.set_message = set_message;
  api_.set_retry_after = set_retry_after;
  api_.set_cursor = set_cursor;
  api_.deadline_remaining_ms = deadline_remaining_ms;
  api_.state_get = state_get;
  api_.state_put = state_put;
  api_.secret = secret;
  api_.http = http;
  api_.counter_add = counter_add;
  api_.gauge_set = gauge_set;
  api_.blob_put = blob_put;
  api_.blob_get = blob_get;
  api_.last_error = last_error;
}

LoadedPlugin::LoadedPlugin(const std::string& path) {
  handle_ = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle_ == nullptr) throw std::runtime_error(std::string("dlopen: ") + dlerror());
  void* entry = dlsym(handle_, REOS_PLUGIN_ENTRY_SYMBOL);
  if (entry == nullptr) throw std::runtime_error(path + ": no " REOS_PLUGIN_ENTRY_SYMBOL);
  descriptor_ = reinterpret_cast<reos_plugin_entry_fn>(entry)();
}

LoadedPlugin::~LoadedPlugin() {
  if (handle_ != nullptr) dlclose(handle_);
}

PluginUnderTest::PluginUnderTest(const LoadedPlugin& plugin, FakeHost& host,
                                 std::string_view settings)
    : create_call(host.new_call()), d_(plugin.descriptor()), host_(host) {
  create_status = d_.create(host.api(), &create_call, settings.data(), settings.size(), &instance);
}

PluginUnderTest::~PluginUnderTest() {
  if (create_status == REOS_OK) d_.destroy(instance);
}

reos_call PluginUnderTest::enrich(std::string_view record, reos_status* status) {
  reos_call call = host_.new_call();
  *status = d_.enrich(instance, &call, record.data(), record.size());
  return call;
}
reos_call PluginUnderTest::score(std::string_view features, reos_status* status) {
  reos_call call = host_.new_call();
  *status = d_.score(instance, &call, features.data(), features.size());
  return call;
}
reos_call PluginUnderTest::notify(std::string_view message, reos_status* status) {
  reos_call call = host_.new_call();
  *status = d_.notify(instance, &call, message.data(), message.size());
  return call;
}
reos_call PluginUnderTest::export_record(std::string_view record, std::string_view key,
                                         reos_status* status) {
  reos_call call = host_.new_call();
  *status = d_.export_record(instance, &call, record.data(), record.size(), key.data(), key.size());
  return call;
}
reos_call PluginUnderTest::pull(std::string_view cursor, reos_status* status) {
  reos_call call = host_.new_call();
  *status = d_.pull(instance, &call, cursor.data(), cursor.size());
  return call;
}
reos_call PluginUnderTest::webhook(const std::vector<std::pair<std::string, std::string>>& headers,
                                   std::string_view body, reos_status* status) {
  std::vector<reos_header> raw;
  for (const auto& h : headers)
    raw.push_back(reos_header{h.first.data(), h.first.size(), h.second.data(), h.second.size()});
  reos_http_request request{};
  request.struct_size = sizeof(reos_http_request);
  request.method = "POST";
  request.url = "https://hub.example/webhooks/test";
  request.headers = raw.data();
  request.header_count = raw.size();
  request.body = body.data();
  request.body_len = body.size();
  reos_call call = host_.new_call();
  *status = d_.webhook(instance, &call, &request);
  return call;
}

}  // namespace sdk_test

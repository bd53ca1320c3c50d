// fake_host.hpp — a minimal in-memory host for testing plugins through the raw C ABI: a
// reos_host_api table whose services record what the plugin did, and a dlopen wrapper.
// It exists to test the SDK layer itself (reos/plugin.hpp and the examples); the real host
// and its conformance kit live in host/plugin_runtime.
#pragma once

#include <reos/plugin.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sdk_test {

class FakeHost;

/// What a fake outbound HTTP exchange saw and answers.
struct FakeHttp {
  std::string method, url, body;
  std::vector<std::pair<std::string, std::string>> headers;
  uint32_t timeout_ms = 0;
};
struct FakeHttpAnswer {
  reos_status status = REOS_OK;  ///< what the service returns
  std::string error;             ///< last_error when not OK
  int32_t http_status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

}  // namespace sdk_test

/// The host's side of one callback invocation: everything the plugin handed back.
struct reos_call {
  sdk_test::FakeHost* host = nullptr;
  std::optional<std::string> output;
  std::optional<std::string> message;
  uint64_t retry_after_ms = 0;
  std::vector<std::string> emitted;
  std::optional<std::string> cursor;
  bool has_more = false;
  std::vector<std::pair<int32_t, std::string>> logs;
  uint64_t deadline_ms = 30000;
  std::string last_error;
  // Storage for values the plugin borrows until the callback returns (deques: earlier
  // borrows stay valid while later ones are added).
  std::deque<std::string> borrowed;
  std::deque<std::vector<reos_header>> borrowed_headers;
  std::deque<sdk_test::FakeHttpAnswer> borrowed_answers;
};

namespace sdk_test {

/// The host: a service table plus the durable things services touch (state, secrets, blobs,
/// metrics). Not thread-safe except for the call outputs, which live in each reos_call.
class FakeHost {
 public:
  FakeHost();
  const reos_host_api* api() const { return &api_; }
  reos_host_api& mutable_api() { return api_; }

  std::map<std::string, std::string> state;
  std::map<std::string, std::string> secrets;
  std::map<std::string, std::pair<std::string, std::string>> blobs;  ///< key → (data, type)
  std::map<std::string, double> counters, gauges;
  std::vector<FakeHttp> http_requests;
  std::function<FakeHttpAnswer(const FakeHttp&)> http_handler;

  reos_call new_call() {
    reos_call call;
    call.host = this;
    return call;
  }

 private:
  reos_host_api api_{};
};

/// A plugin library opened with dlopen (RTLD_LOCAL), closed on destruction.
class LoadedPlugin {
 public:
  explicit LoadedPlugin(const std::string& path);
  ~LoadedPlugin();
  LoadedPlugin(const LoadedPlugin&) = delete;
  LoadedPlugin& operator=(const LoadedPlugin&) = delete;
  const reos_plugin_descriptor& descriptor() const { return *descriptor_; }

 private:
  void* handle_ = nullptr;
  const reos_plugin_descriptor* descriptor_ = nullptr;
};

/// One instance of a loaded plugin, created with `settings` (status in create_status and the
/// create call's outputs in create_call); destroyed on destruction when create succeeded.
class PluginUnderTest {
 public:
  PluginUnderTest(const LoadedPlugin& plugin, FakeHost& host, std::string_view settings);
  ~PluginUnderTest();
  PluginUnderTest(const PluginUnderTest&) = delete;
  PluginUnderTest& operator=(const PluginUnderTest&) = delete;

  reos_status create_status = REOS_FAIL;
  reos_call create_call;
  reos_instance* instance = nullptr;

  /// Each returns the call with its outputs; the status is in `status`.
  reos_call enrich(std::string_view record, reos_status* status);
  reos_call score(std::string_view features, reos_status* status);
  reos_call notify(std::string_view message, reos_status* status);
  reos_call export_record(std::string_view record, std::string_view key, reos_status* status);
  reos_call pull(std::string_view cursor, reos_status* status);
  reos_call webhook(const std::vector<std::pair<std::string, std::string>>& headers,
                    std::string_view body, reos_status* status);

 private:
  const reos_plugin_descriptor& d_;
  FakeHost& host_;
};

}  // namespace sdk_test

#pragma once

// The host's side of the opaque `reos_call` handle that plugin.h declares: everything one
// plugin callback invocation needs. Lives on the stack of the thread making the call; the
// plugin only ever sees its address, and only until the callback returns.

#include <chrono>
#include <forward_list>
#include <string>
#include <vector>

#include "plugin_runtime/host_services.hpp"
#include "plugin_runtime/plugin_instance.hpp"
#include "reos/plugin.h"

struct reos_call {
  using Clock = std::chrono::steady_clock;

  reos_call(const reos::plugin_runtime::CallContext& context,
            reos::plugin_runtime::CallResult& call_result,
            reos::plugin_runtime::HostServices& host_services)
      : ctx(context), result(call_result), services(host_services), started(Clock::now()) {}
  reos_call(const reos_call&) = delete;
  reos_call& operator=(const reos_call&) = delete;

  /// Keeps `value` alive until the call ends and returns a stable reference to it: the arena
  /// behind every BORROWED pointer a service hands the plugin. Empty (no allocation) for
  /// calls that borrow nothing.
  std::string& keep(std::string value) {
    borrowed.push_front(std::move(value));
    return borrowed.front();
  }

  const reos::plugin_runtime::CallContext& ctx;
  reos::plugin_runtime::CallResult& result;
  reos::plugin_runtime::HostServices& services;
  const Clock::time_point started;

  std::forward_list<std::string> borrowed;
  std::forward_list<reos::plugin_runtime::HttpExchange> exchanges;  ///< http responses lent out
  std::forward_list<std::vector<reos_header>> header_arrays;        ///< their header views
  std::string last_error;
  /// Set when the plugin handed malformed JSON to emit/set_output: the call then FAILs even
  /// if the plugin ignored the INVALID the service returned.
  std::string malformed_output;
};

namespace reos::plugin_runtime {

/// The one reos_host_api table every in-process instance receives (static storage, lives
/// for the process). Every entry copies its inputs, never throws, and records failures in
/// the call's last_error.
const reos_host_api& host_api_table();

}  // namespace reos::plugin_runtime

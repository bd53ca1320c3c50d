#pragma once

#include <memory>
#include <string_view>

#include "plugin_runtime/host_services.hpp"
#include "plugin_runtime/plugin_instance.hpp"
#include "plugin_runtime/plugin_library.hpp"

namespace reos::plugin_runtime {

/// Creates an instance of `library` running in this process, for the tenant connector in
/// `ctx`, by calling the plugin's `create` with `settings_json` (passed as given: validating
/// it against the schema is the caller's job, see connector_settings_check.hpp).
///
/// Returns nullptr when create does not return REOS_OK; `create_result` then says why (the
/// plugin's status and message, or FAIL for an unknown status or an overrun deadline).
///
/// The instance keeps `library` loaded and `services` alive until it is destroyed, and calls
/// the plugin's `destroy` in its destructor. Calls run on the caller's thread and are
/// serialized per instance unless the plugin declared REOS_FLAG_THREAD_SAFE. The host cannot
/// pre-empt a call in process: one that overruns ctx.deadline is reported as REOS_FAIL
/// ("deadline exceeded: took X ms, limit Y ms") with its outputs discarded once it returns.
std::unique_ptr<PluginInstance> create_in_process_instance(std::shared_ptr<PluginLibrary> library,
                                                           std::shared_ptr<HostServices> services,
                                                           const CallContext& ctx,
                                                           std::string_view settings_json,
                                                           CallResult& create_result);

}  // namespace reos::plugin_runtime

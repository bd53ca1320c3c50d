#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "plugin_runtime/host_services.hpp"
#include "plugin_runtime/plugin_instance.hpp"

namespace reos::plugin_runtime {

/// True when this build can run plugins in a child process (`isolation: process`).
bool process_isolation_available();

/// Creates an instance of the plugin at `plugin_path` in a child `reos-plugin-host` process
/// (connector setting `isolation: process`); same contract as create_in_process_instance.
/// In a build without the out-of-process runtime it returns nullptr with create_result FAIL
/// "isolation: process is not available in this build".
std::unique_ptr<PluginInstance> create_isolated_instance(const std::string& plugin_path,
                                                         std::shared_ptr<HostServices> services,
                                                         const CallContext& ctx,
                                                         std::string_view settings_json,
                                                         CallResult& create_result);

}  // namespace reos::plugin_runtime

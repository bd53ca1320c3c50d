#include "plugin_runtime/isolation_factory.hpp"

#include "reos/plugin.h"

// The out-of-process runtime is its own piece of work (plugin_runtime/out_of_process_*); this
// file is the one place that knows whether it is part of the build.
#if __has_include("plugin_runtime/out_of_process_instance.hpp")
#include "plugin_runtime/out_of_process_instance.hpp"
#define REOS_HAVE_OUT_OF_PROCESS 1
#else
#define REOS_HAVE_OUT_OF_PROCESS 0
#endif

namespace reos::plugin_runtime {

bool process_isolation_available() {
  return REOS_HAVE_OUT_OF_PROCESS;
}

std::unique_ptr<PluginInstance> create_isolated_instance(const std::string& plugin_path,
                                                         std::shared_ptr<HostServices> services,
                                                         const CallContext& ctx,
                                                         std::string_view settings_json,
                                                         CallResult& create_result) {
#if REOS_HAVE_OUT_OF_PROCESS
  return create_out_of_process_instance(plugin_path, std::move(services), ctx, settings_json,
                                        create_result);
#else
  (void)plugin_path;
  (void)services;
  (void)ctx;
  (void)settings_json;
  create_result = CallResult{};
  create_result.status = REOS_FAIL;
  create_result.message = "isolation: process is not available in this build";
  return nullptr;
#endif
}

}  // namespace reos::plugin_runtime

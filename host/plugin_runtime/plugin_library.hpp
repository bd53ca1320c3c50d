#pragma once

#include <memory>
#include <stdexcept>
#include <string>

#include "plugin_runtime/plugin_instance.hpp"
#include "reos/plugin.h"

namespace reos::plugin_runtime {

class SettingsSchema;

/// Why a shared object was not accepted as a plugin. `what()` is a complete sentence an
/// operator can act on ("plugin /p/libreos_x.so built for ABI 2.0, host speaks 1.0").
class PluginRefused : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// One loaded plugin shared object whose descriptor passed every check (magic, ABI major,
/// min_host_minor, struct_size, name, kinds/callbacks, settings schema).
///
/// Ownership: the library stays mapped while any shared_ptr to it lives; instances hold one,
/// so a plugin's code outlives every instance created from it. The descriptor returned by
/// `descriptor()` is the host's own zero-filled copy of the prefix the plugin's struct_size
/// covers: fields a plugin built with an older header does not have read as NULL/0.
/// Thread-safety: immutable after open(); every method is safe from any thread.
class PluginLibrary {
 public:
  /// Loads `path` (dlopen RTLD_NOW|RTLD_LOCAL), calls its entry point and checks the
  /// descriptor. Throws PluginRefused with the precise reason; never crashes on a
  /// non-plugin file, a wrong magic or a wrong ABI.
  static std::shared_ptr<PluginLibrary> open(const std::string& path);

  ~PluginLibrary();
  PluginLibrary(const PluginLibrary&) = delete;
  PluginLibrary& operator=(const PluginLibrary&) = delete;

  /// Name, version, kinds (only those whose callbacks the descriptor really has), flags,
  /// schema text, ABI numbers and path.
  const PluginInfo& info() const { return info_; }

  /// The host's copy of the descriptor (see the class comment).
  const reos_plugin_descriptor& descriptor() const { return descriptor_; }

  /// The compiled settings_schema (an "any object" schema when the plugin declares none).
  const SettingsSchema& settings_schema() const { return *schema_; }

 private:
  struct DlCloser {
    void operator()(void* handle) const noexcept;
  };
  PluginLibrary() = default;

  std::unique_ptr<void, DlCloser> handle_;
  reos_plugin_descriptor descriptor_{};
  PluginInfo info_;
  std::shared_ptr<const SettingsSchema> schema_;
};

}  // namespace reos::plugin_runtime

#pragma once

#include <memory>
#include <string>
#include <vector>

#include "plugin_runtime/plugin_library.hpp"

namespace reos::plugin_runtime {

/// What happened to one candidate file: either `library` is set, or `refusal` says why not.
struct LoadOutcome {
  std::string path;
  std::shared_ptr<PluginLibrary> library;
  std::string refusal;
};

/// Opens every `libreos_*.so` in `dirs` (not recursive; each folder sorted by file name, the
/// folders in the order given). Never throws for one bad file or folder: a missing folder,
/// a refused plugin and a second plugin claiming an already loaded name (refused: "duplicate
/// plugin name 'x', already loaded from …") all become refusals, so the host keeps going.
std::vector<LoadOutcome> scan_plugin_dirs(const std::vector<std::string>& dirs);

/// The loaded plugin called `name`, or nullptr.
std::shared_ptr<PluginLibrary> find_loaded_plugin(const std::vector<LoadOutcome>& outcomes,
                                                  const std::string& name);

}  // namespace reos::plugin_runtime

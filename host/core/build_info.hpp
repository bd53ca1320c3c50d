#pragma once

namespace reos {

/// Facts fixed at build time, shown by `reos version` and in `/metrics` (reos_build_info).
struct BuildInfo {
  const char* version;     ///< project version, e.g. "0.1.0"
  const char* git_commit;  ///< short commit hash, or "unknown" outside a checkout
  const char* build_type;  ///< CMake build type, e.g. "Release"
  const char* compiler;    ///< compiler id and version
};

/// The one BuildInfo of this binary. Never null; strings live for the whole process.
const BuildInfo& build_info();

}  // namespace reos

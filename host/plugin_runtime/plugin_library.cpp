#include "plugin_runtime/plugin_library.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <cstring>

#include "plugin_runtime/plugin_kinds.hpp"
#include "plugin_runtime/settings_schema.hpp"

namespace reos::plugin_runtime {
namespace {

// The smallest descriptor any 1.x plugin can have: the magic record, the identity and
// create/destroy. Kind callbacks past a smaller writer's struct_size read as absent.
constexpr std::size_t kMinimumDescriptorSize = offsetof(reos_plugin_descriptor, pull);

std::string version_text(unsigned major, unsigned minor) {
  return std::to_string(major) + "." + std::to_string(minor);
}

bool valid_plugin_name(const char* name) {
  if (!name || !*name) return false;
  for (const char* c = name; *c; ++c) {
    const bool ok = (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_';
    if (!ok) return false;
  }
  return std::strlen(name) <= 63;
}

// True when the writer's struct covers the whole of `field` (REOS_HAS_FIELD on a size).
constexpr bool covers(std::size_t struct_size, std::size_t offset, std::size_t size) {
  return struct_size >= offset + size;
}

struct KindCallback {
  uint32_t kind;
  std::size_t offset;
  const char* callback;
};

const KindCallback kKindCallbacks[] = {
    {REOS_KIND_SOURCE, offsetof(reos_plugin_descriptor, pull), "pull"},
    {REOS_KIND_ENRICHER, offsetof(reos_plugin_descriptor, enrich), "enrich"},
    {REOS_KIND_SCORER, offsetof(reos_plugin_descriptor, score), "score"},
    {REOS_KIND_NOTIFIER, offsetof(reos_plugin_descriptor, notify), "notify"},
    {REOS_KIND_EXPORTER, offsetof(reos_plugin_descriptor, export_record), "export_record"},
    {REOS_KIND_WEBHOOK, offsetof(reos_plugin_descriptor, webhook), "webhook"},
};

bool callback_set(const reos_plugin_descriptor& d, std::size_t offset) {
  void* fn = nullptr;
  std::memcpy(&fn, reinterpret_cast<const char*>(&d) + offset, sizeof fn);
  return fn != nullptr;
}

}  // namespace

void PluginLibrary::DlCloser::operator()(void* handle) const noexcept {
  if (handle) dlclose(handle);
}

PluginLibrary::~PluginLibrary() = default;

std::shared_ptr<PluginLibrary> PluginLibrary::open(const std::string& path) {
  std::shared_ptr<PluginLibrary> lib(new PluginLibrary());
  dlerror();
  lib->handle_.reset(dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL));
  if (!lib->handle_) {
    const char* why = dlerror();
    throw PluginRefused("cannot load " + path + ": " + (why ? why : "unknown dlopen error"));
  }
  dlerror();
  void* symbol = dlsym(lib->handle_.get(), REOS_PLUGIN_ENTRY_SYMBOL);
  if (!symbol) {
    throw PluginRefused(path + ": missing entry symbol " REOS_PLUGIN_ENTRY_SYMBOL
                               " — is this a reos plugin?");
  }
  reos_plugin_entry_fn entry = nullptr;
  std::memcpy(&entry, &symbol, sizeof entry);  // object → function pointer, as POSIX allows
  const reos_plugin_descriptor* theirs = entry();
  if (!theirs) throw PluginRefused(path + ": " REOS_PLUGIN_ENTRY_SYMBOL " returned no descriptor");

  // The magic record is the same in every ABI version; nothing past it is read before the
  // versions are known to match.
  if (theirs->magic != REOS_PLUGIN_MAGIC) {
    char text[160];
    std::snprintf(text, sizeof text,
                  ": bad magic 0x%08X (expected 0x%08X, \"REOS\") — not a reos plugin descriptor",
                  theirs->magic, REOS_PLUGIN_MAGIC);
    throw PluginRefused(path + text);
  }
  const std::string host_version = version_text(REOS_ABI_VERSION_MAJOR, REOS_ABI_VERSION_MINOR);
  if (theirs->abi_major != REOS_ABI_VERSION_MAJOR) {
    throw PluginRefused("plugin " + path + " built for ABI " +
                        version_text(theirs->abi_major, theirs->abi_minor) + ", host speaks " +
                        host_version);
  }
  if (theirs->min_host_minor > REOS_ABI_VERSION_MINOR) {
    throw PluginRefused("plugin " + path + " needs ABI " +
                        version_text(REOS_ABI_VERSION_MAJOR, theirs->min_host_minor) +
                        " or newer, host speaks " + host_version);
  }
  const std::size_t their_size = theirs->struct_size;
  if (their_size < kMinimumDescriptorSize) {
    throw PluginRefused(path + ": descriptor struct_size " + std::to_string(their_size) +
                        " is smaller than the ABI 1.0 minimum " +
                        std::to_string(kMinimumDescriptorSize));
  }
  // Read only the prefix both sides know; fields a smaller (older) writer lacks stay zero.
  std::memcpy(&lib->descriptor_, theirs, std::min(their_size, sizeof(reos_plugin_descriptor)));
  lib->descriptor_.struct_size = static_cast<uint32_t>(their_size);
  const reos_plugin_descriptor& d = lib->descriptor_;

  if (!valid_plugin_name(d.name)) {
    throw PluginRefused(path + ": plugin name '" + std::string(d.name ? d.name : "") +
                        "' must be 1 to 63 of a-z, 0-9 and '_'");
  }
  const std::string label = "plugin '" + std::string(d.name) + "' (" + path + ")";
  if (!d.version || !*d.version) throw PluginRefused(label + ": version is empty");
  if (!d.create || !d.destroy) {
    throw PluginRefused(label + ": create and destroy callbacks are required");
  }
  const uint32_t unknown = d.kinds & ~known_kinds();
  if (unknown) {
    throw PluginRefused(label + " declares kinds this host does not know (" + kind_names(unknown) +
                        "); it needs a newer host");
  }
  uint32_t kinds = 0;
  for (const KindCallback& k : kKindCallbacks) {
    if (!(d.kinds & k.kind)) continue;
    // A descriptor written with an older header has no slot for this callback: the kind is
    // absent for this plugin, whatever its bit says.
    if (!covers(their_size, k.offset, sizeof(void*))) continue;
    if (!callback_set(d, k.offset)) {
      throw PluginRefused(label + " declares kind " + kind_name(k.kind) + " but its " + k.callback +
                          " callback is NULL");
    }
    kinds |= k.kind;
  }
  if (kinds == 0) throw PluginRefused(label + " declares no kinds it implements");

  const std::string schema_text = d.settings_schema ? d.settings_schema : "";
  try {
    lib->schema_ = SettingsSchema::compile(schema_text);
  } catch (const std::exception& e) {
    throw PluginRefused(label + ": " + e.what());
  }

  PluginInfo& info = lib->info_;
  info.name = d.name;
  info.version = d.version;
  info.description = d.description ? d.description : "";
  info.kinds = kinds;
  info.flags = d.flags;
  info.settings_schema = schema_text;
  info.abi_major = d.abi_major;
  info.abi_minor = d.abi_minor;
  info.min_host_minor = d.min_host_minor;
  info.path = path;
  return lib;
}

}  // namespace reos::plugin_runtime

#include "plugin_runtime/conformance_kit.hpp"

#include <algorithm>
#include <atomic>
#include <functional>
#include <memory>
#include <thread>

#include "plugin_runtime/in_process_instance.hpp"
#include "plugin_runtime/memory_host_services.hpp"
#include "plugin_runtime/plugin_kinds.hpp"
#include "plugin_runtime/settings_schema.hpp"

namespace reos::plugin_runtime {
namespace {

std::atomic<const char*> g_check_in_progress{""};

// Keeps the check name alive and visible to a crash handler while it runs.
class CheckScope {
 public:
  explicit CheckScope(const std::string& name) : name_(name) {
    g_check_in_progress = name_.c_str();
  }
  ~CheckScope() { g_check_in_progress = ""; }

 private:
  std::string name_;
};

// An input the plugin sees without a trailing NUL: the byte after it is not '\0', so a plugin
// that treats records as C strings reads garbage here instead of passing by luck.
class UnterminatedInput {
 public:
  explicit UnterminatedInput(std::string_view text) : buffer_(std::string(text) + "\x7f") {}
  std::string_view view() const { return std::string_view(buffer_.data(), buffer_.size() - 1); }

 private:
  std::string buffer_;
};

struct KindProbe {
  uint32_t kind;
  std::string sample;  // a small, valid input
};

const std::vector<KindProbe>& kind_probes() {
  static const std::vector<KindProbe> probes = {
      {REOS_KIND_SOURCE, ""},
      {REOS_KIND_ENRICHER,
       R"({"ListingKey":"conformance-1","ListPrice":500000,"City":"Seattle","BedroomsTotal":3})"},
      {REOS_KIND_SCORER, R"({"sqft_living":1800,"bedrooms":3,"bathrooms":2,"grade":7})"},
      {REOS_KIND_NOTIFIER,
       R"({"to":"conformance@example.com","subject":"conformance","text":"hello"})"},
      {REOS_KIND_EXPORTER, R"({"ListingKey":"conformance-1","ListPrice":500000})"},
      {REOS_KIND_WEBHOOK, R"({"event":"conformance","id":"evt-1"})"},
  };
  return probes;
}

CallResult call_kind(PluginInstance& instance, const CallContext& ctx, uint32_t kind,
                     std::string_view input) {
  const UnterminatedInput in(input);
  switch (kind) {
    case REOS_KIND_SOURCE:
      return instance.pull(ctx, in.view());
    case REOS_KIND_ENRICHER:
      return instance.enrich(ctx, in.view());
    case REOS_KIND_SCORER:
      return instance.score(ctx, in.view());
    case REOS_KIND_NOTIFIER:
      return instance.notify(ctx, in.view());
    case REOS_KIND_EXPORTER:
      return instance.export_record(ctx, in.view(), "conformance-idempotency-key");
    default: {
      WebhookRequest request;
      request.method = "POST";
      request.url = "http://127.0.0.1:8080/webhooks/conformance";
      request.headers = {{"Content-Type", "application/json"}};
      request.body = std::string(input);
      return instance.webhook(ctx, request);
    }
  }
}

std::string describe(const CallResult& r) {
  std::string text = status_name(r.status);
  if (!r.message.empty()) text += ": " + r.message;
  if (text.size() > 120) text = text.substr(0, 117) + "...";
  return text;
}

bool is_callback_status(int32_t s) {
  return s == REOS_OK || s == REOS_RETRY || s == REOS_FAIL || s == REOS_INVALID;
}

class Kit {
 public:
  Kit(const std::string& path, const ConformanceOptions& options) : path_(path), options_(options) {
    ctx_.tenant_id = "conformance";
    ctx_.connector_id = "conformance";
    ctx_.correlation_id = "conformance-kit";
    ctx_.deadline = std::chrono::milliseconds(10000);
  }

  ConformanceReport run() {
    if (!load()) return std::move(report_);
    check_settings_refused("create.rejects_non_object_settings", "[]");
    if (!library_->settings_schema().required_keys().empty()) {
      check_settings_refused("create.rejects_missing_required_keys", "{}");
    }
    std::unique_ptr<PluginInstance> instance = create_valid();
    if (!instance) return std::move(report_);
    for (const KindProbe& probe : kind_probes()) {
      if (library_->info().kinds & probe.kind) check_kind(*instance, probe);
    }
    {
      CheckScope scope("destroy");
      instance.reset();
    }
    add("destroy", true, "returned");
    return std::move(report_);
  }

 private:
  void add(std::string name, bool passed, std::string detail) {
    report_.checks.push_back({std::move(name), passed, std::move(detail)});
  }

  bool load() {
    CheckScope scope("load");
    try {
      library_ = PluginLibrary::open(path_);
    } catch (const std::exception& e) {
      add("load", false, e.what());
      return false;
    }
    const PluginInfo& info = library_->info();
    add("load", true,
        info.name + " " + info.version + " (" + kind_names(info.kinds) + ", ABI " +
            std::to_string(info.abi_major) + "." + std::to_string(info.abi_minor) + ")");
    return true;
  }

  void check_settings_refused(const std::string& name, const std::string& settings) {
    CheckScope scope(name);
    CallResult created;
    auto services = std::make_shared<MemoryHostServices>(settings);
    std::unique_ptr<PluginInstance> instance =
        create_in_process_instance(library_, services, ctx_, settings, created);
    if (instance) {
      add(name, false, "create accepted settings " + settings + " (must return INVALID)");
    } else if (created.status != REOS_INVALID) {
      add(name, false,
          "create returned " + describe(created) + " for " + settings + " (must return INVALID)");
    } else if (created.message.empty()) {
      add(name, false, "INVALID without a message (call set_message to say what is wrong)");
    } else {
      add(name, true, describe(created));
    }
  }

  std::unique_ptr<PluginInstance> create_valid() {
    const std::string name = "create.valid_settings";
    CheckScope scope(name);
    const auto problems = library_->settings_schema().validate(options_.settings_json);
    if (!problems.empty()) {
      add(name, false,
          "the settings given do not match the plugin's schema: " +
              (problems.front().pointer.empty() ? "" : problems.front().pointer + ": ") +
              problems.front().message + " (pass valid ones with --settings FILE)");
      return nullptr;
    }
    CallResult created;
    services_ = std::make_shared<MemoryHostServices>(options_.settings_json);
    auto instance =
        create_in_process_instance(library_, services_, ctx_, options_.settings_json, created);
    if (!instance) {
      add(name, false, "create returned " + describe(created) + " for " + options_.settings_json);
      return nullptr;
    }
    add(name, true, "OK with " + options_.settings_json);
    return instance;
  }

  void check_bad_input(PluginInstance& instance, uint32_t kind, const std::string& name,
                       const std::string& input) {
    CheckScope scope(name);
    const CallResult r = call_kind(instance, ctx_, kind, input);
    const bool is_source = kind == REOS_KIND_SOURCE;
    if (!is_callback_status(r.status)) {
      add(name, false, describe(r));
    } else if (!is_source && r.status != REOS_INVALID && r.status != REOS_FAIL) {
      add(name, false, "returned " + describe(r) + " (must be INVALID or FAIL)");
    } else if (r.status != REOS_OK && r.message.empty()) {
      add(name, false, status_name(r.status) + " without a message (call set_message)");
    } else {
      add(name, true, describe(r));
    }
  }

  void check_kind(PluginInstance& instance, const KindProbe& probe) {
    const std::string kind = kind_name(probe.kind);
    // A source's empty cursor is its first page, not a bad input: for it these checks only
    // ask for a known status and a message with any non-OK one.
    check_bad_input(instance, probe.kind, kind + ".empty_input", "");
    check_bad_input(instance, probe.kind, kind + ".malformed_input", "{not json");

    const std::string repeated = kind + ".valid_input_repeated";
    int32_t first = -1;
    {
      CheckScope scope(repeated);
      std::string first_detail;
      int mismatches = 0;
      for (int i = 0; i < options_.repeat; ++i) {
        const CallResult r = call_kind(instance, ctx_, probe.kind, probe.sample);
        if (i == 0) {
          first = r.status;
          first_detail = describe(r);
        } else if (r.status != first) {
          ++mismatches;
        }
      }
      if (!is_callback_status(first)) {
        add(repeated, false, first_detail);
      } else if (mismatches) {
        add(repeated, false,
            std::to_string(mismatches) + " of " + std::to_string(options_.repeat) +
                " calls differed from the first (" + first_detail + ")");
      } else {
        add(repeated, true, std::to_string(options_.repeat) + " x " + first_detail);
      }
    }

    if (!(library_->info().flags & REOS_FLAG_THREAD_SAFE)) return;
    const std::string concurrent = kind + ".concurrent_calls";
    CheckScope scope(concurrent);
    std::atomic<int> mismatches{0};
    std::vector<std::thread> threads;
    const int per_thread = std::max(1, options_.repeat / std::max(1, options_.threads));
    for (int t = 0; t < options_.threads; ++t) {
      threads.emplace_back([&] {
        for (int i = 0; i < per_thread; ++i) {
          if (call_kind(instance, ctx_, probe.kind, probe.sample).status != first) ++mismatches;
        }
      });
    }
    for (std::thread& t : threads) t.join();
    add(concurrent, mismatches == 0,
        std::to_string(options_.threads) + " threads x " + std::to_string(per_thread) + " calls, " +
            std::to_string(mismatches.load()) + " differed from " + status_name(first));
  }

  std::string path_;
  ConformanceOptions options_;
  CallContext ctx_;
  std::shared_ptr<PluginLibrary> library_;
  std::shared_ptr<MemoryHostServices> services_;
  ConformanceReport report_;
};

}  // namespace

bool ConformanceReport::passed() const {
  return !checks.empty() &&
         std::all_of(checks.begin(), checks.end(), [](const auto& c) { return c.passed; });
}

ConformanceReport run_conformance_kit(const std::string& plugin_path,
                                      const ConformanceOptions& options) {
  return Kit(plugin_path, options).run();
}

std::string render_conformance_table(const ConformanceReport& report) {
  std::size_t width = std::string("check").size();
  for (const auto& c : report.checks) width = std::max(width, c.name.size());
  const auto pad = [width](const std::string& s) { return s + std::string(width - s.size(), ' '); };
  std::string text = pad("check") + "  result  detail\n";
  int failed = 0;
  for (const auto& c : report.checks) {
    text += pad(c.name) + "  " + (c.passed ? "PASS  " : "FAIL  ") + "  " + c.detail + "\n";
    failed += c.passed ? 0 : 1;
  }
  text += "\n" + std::to_string(report.checks.size() - failed) + " passed, " +
          std::to_string(failed) + " failed: " + (report.passed() ? "PASS" : "FAIL") + "\n";
  return text;
}

const char* conformance_check_in_progress() {
  return g_check_in_progress.load();
}

}  // namespace reos::plugin_runtime

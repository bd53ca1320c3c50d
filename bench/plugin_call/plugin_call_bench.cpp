// plugin_call — the cost of one plugin call: host → plugin → host with a 1 KB JSON record
// through a no-op enricher (noop_enricher.c), in process and out of process
// (reos-plugin-host over a socketpair). Single thread. Prints one JSON line per mode with
// the median and p99 in nanoseconds, then a summary line.
//
//   bench_plugin_call [--plugin PATH] [--plugin-host PATH] [--in-process N] [--out-of-process N]

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "plugin_runtime/in_process_instance.hpp"
#include "plugin_runtime/out_of_process_instance.hpp"
#include "plugin_runtime/plugin_library.hpp"
#include "reos/plugin.h"

namespace rt = reos::plugin_runtime;

namespace {

/// Services that do nothing: the no-op enricher never calls them.
class NullHostServices final : public rt::HostServices {
 public:
  void log(const rt::CallContext&, int32_t, std::string_view) override {}
  rt::ServiceStatus state_get(const rt::CallContext&, std::string_view, std::string&) override {
    return {REOS_NOT_FOUND, "none"};
  }
  rt::ServiceStatus state_put(const rt::CallContext&, std::string_view, std::string_view) override {
    return {};
  }
  rt::ServiceStatus secret(const rt::CallContext&, std::string_view, std::string&) override {
    return {REOS_NOT_FOUND, "none"};
  }
  rt::ServiceStatus http(const rt::CallContext&, rt::HttpExchange&) override {
    return {REOS_UNSUPPORTED, "none"};
  }
  rt::ServiceStatus counter_add(const rt::CallContext&, std::string_view, double) override {
    return {};
  }
  rt::ServiceStatus gauge_set(const rt::CallContext&, std::string_view, double) override {
    return {};
  }
  rt::ServiceStatus blob_put(const rt::CallContext&, std::string_view, std::string_view,
                             std::string_view) override {
    return {};
  }
  rt::ServiceStatus blob_get(const rt::CallContext&, std::string_view, std::string&) override {
    return {REOS_NOT_FOUND, "none"};
  }
};

/// A listing record of exactly 1024 bytes of JSON.
std::string one_kilobyte_record() {
  std::string head =
      R"({"ListingKey":"3yd-CRMLS-OC24012345","StandardStatus":"Active","ListPrice":1249000,)"
      R"("City":"Irvine","PostalCode":"92618","BedroomsTotal":4,"BathroomsTotalInteger":3,)"
      R"("LivingArea":2450,"PublicRemarks":")";
  std::string tail = R"("})";
  return head + std::string(1024 - head.size() - tail.size(), 'x') + tail;
}

struct Figures {
  double median_ns;
  double p99_ns;
  double mean_ns;
};

Figures measure(rt::PluginInstance& instance, const rt::CallContext& ctx, const std::string& record,
                int warmup, int calls, const char* mode) {
  using Clock = std::chrono::steady_clock;
  for (int i = 0; i < warmup; ++i) instance.enrich(ctx, record);
  std::vector<double> ns(static_cast<std::size_t>(calls));
  double total = 0;
  for (int i = 0; i < calls; ++i) {
    auto t0 = Clock::now();
    rt::CallResult r = instance.enrich(ctx, record);
    auto t1 = Clock::now();
    if (r.status != REOS_OK || !r.output || r.output->size() != record.size()) {
      std::fprintf(stderr, "bench_plugin_call: %s call %d failed: %s\n", mode, i,
                   r.message.c_str());
      std::exit(1);
    }
    ns[static_cast<std::size_t>(i)] = std::chrono::duration<double, std::nano>(t1 - t0).count();
    total += ns[static_cast<std::size_t>(i)];
  }
  std::sort(ns.begin(), ns.end());
  Figures f{ns[ns.size() / 2], ns[std::min(ns.size() - 1, ns.size() * 99 / 100)], total / calls};
  std::printf(
      "{\"bench\":\"plugin_call\",\"mode\":\"%s\",\"record_bytes\":%zu,\"calls\":%d,"
      "\"median_ns\":%.0f,\"p99_ns\":%.0f,\"mean_ns\":%.0f}\n",
      mode, record.size(), calls, f.median_ns, f.p99_ns, f.mean_ns);
  std::fflush(stdout);
  return f;
}

const char* arg_value(int argc, char** argv, const char* name, const char* fallback) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], name) == 0) return argv[i + 1];
  }
  return fallback;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc % 2 == 0) {
    std::fprintf(stderr,
                 "usage: bench_plugin_call [--plugin PATH] [--plugin-host PATH] "
                 "[--in-process N] [--out-of-process N]\n");
    return 2;
  }
  const char* plugin = arg_value(argc, argv, "--plugin", REOS_NOOP_ENRICHER);
  int in_calls = std::atoi(arg_value(argc, argv, "--in-process", "200000"));
  int out_calls = std::atoi(arg_value(argc, argv, "--out-of-process", "20000"));
  rt::OutOfProcessOptions options;
  options.plugin_host_binary = arg_value(argc, argv, "--plugin-host", "");

  auto services = std::make_shared<NullHostServices>();
  rt::CallContext ctx{"bench", "bench-enricher", "bench-corr", std::chrono::milliseconds(5000)};
  std::string record = one_kilobyte_record();

  rt::CallResult created;
  auto in_process =
      rt::create_in_process_instance(rt::PluginLibrary::open(plugin), services, ctx, "{}", created);
  if (!in_process) {
    std::fprintf(stderr, "bench_plugin_call: in-process create failed: %s\n",
                 created.message.c_str());
    return 1;
  }
  Figures in = measure(*in_process, ctx, record, 20000, in_calls, "in_process");

  auto out_of_process =
      rt::OutOfProcessInstance::create(plugin, services, ctx, "{}", created, options);
  if (!out_of_process) {
    std::fprintf(stderr, "bench_plugin_call: out-of-process create failed: %s\n",
                 created.message.c_str());
    return 1;
  }
  Figures out = measure(*out_of_process, ctx, record, 2000, out_calls, "out_of_process");

  std::printf(
      "{\"bench\":\"plugin_call\",\"summary\":true,\"in_process_median_ns\":%.0f,"
      "\"in_process_p99_ns\":%.0f,\"out_of_process_median_ns\":%.0f,"
      "\"out_of_process_p99_ns\":%.0f,\"in_process_target_ns\":2000,\"in_process_ok\":%s}\n",
      in.median_ns, in.p99_ns, out.median_ns, out.p99_ns, in.median_ns <= 2000 ? "true" : "false");
  return 0;
}

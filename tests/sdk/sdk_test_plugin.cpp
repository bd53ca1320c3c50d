// sdk_test_plugin — a test-only plugin of every kind, built with reos/plugin.hpp, whose
// methods misbehave on request (throw std::runtime_error, reos::Retry, reos::Invalid, `42`;
// return non-object output; …) so the tests can pin down how the C++ layer maps each outcome
// to the C ABI. Its enrich "action" field selects the behaviour.
#include <atomic>
#include <chrono>
#include <reos/plugin.hpp>
#include <stdexcept>
#include <string>

namespace {

std::atomic<int> live_instances{0};

class SdkTestPlugin : public reos::Plugin {
 public:
  SdkTestPlugin(reos::Call& call, const nlohmann::json& settings) {
    const std::string fail = settings.value("fail_with", "");
    if (fail == "invalid") throw reos::Invalid("settings.fail_with asked for INVALID");
    if (fail == "runtime") throw std::runtime_error("constructor failed at run time");
    page_size_ = settings.value("page_size", 2);  // a string here is a json type_error
    call.info("sdk_test_plugin created");
    ++live_instances;
  }
  ~SdkTestPlugin() { --live_instances; }

  reos::Result enrich(reos::Call& call, nlohmann::json record) {
    const std::string action = record.value("action", "echo");
    if (action == "echo") {
      record["enriched"] = true;
      return reos::Result::ok(std::move(record));
    }
    if (action == "drop") return reos::Result::drop();
    if (action == "runtime_error") throw std::runtime_error("boom from enrich");
    if (action == "retry") throw reos::Retry(std::chrono::seconds(7), "provider busy");
    if (action == "retry_result") return reos::Result::retry(1500, "slow down");
    if (action == "invalid") throw reos::Invalid("record has no address");
    if (action == "fail_result") return reos::Result::fail("permanent refusal");
    if (action == "int") throw 42;
    if (action == "non_object_output") return reos::Result::ok(nlohmann::json::array({1, 2}));
    if (action == "bad_utf8") return reos::Result::ok({{"text", std::string("\xff\xfe")}});
    if (action == "instances") return reos::Result::ok({{"live", live_instances.load()}});
    if (action == "missing_secret") return reos::Result::ok({{"v", call.secret("${NOPE}")}});
    if (action == "services") return services(call);
    if (action == "http") return http(call, record);
    return reos::Result::invalid("unknown action " + action);
  }

  reos::Result pull(reos::Call& call, std::string_view cursor) {
    const int start = cursor.empty() ? 0 : std::stoi(std::string(cursor));
    for (int i = 0; i < page_size_; ++i) call.emit({{"n", start + i}});
    const int next = start + page_size_;
    call.set_cursor(std::to_string(next), next < 4);
    return reos::Result::ok();
  }

  reos::Result score(reos::Call&, const nlohmann::json& features) {
    return reos::Result::ok(
        {{"score", features.size()}, {"contributions", nlohmann::json::object()}});
  }

  reos::Result notify(reos::Call&, const nlohmann::json& message) {
    return reos::Result::ok({{"provider_id", "msg-" + message.at("to").get<std::string>()}});
  }

  reos::Result export_record(reos::Call&, const nlohmann::json&, std::string_view key) {
    return reos::Result::ok({{"external_id", std::string(key)}});
  }

  reos::Result webhook(reos::Call& call, const reos::WebhookRequest& request) {
    if (request.header("x-signature") != std::optional<std::string_view>("sig-ok"))
      return reos::Result::invalid("signature mismatch");
    const nlohmann::json body = request.json();  // keep it alive while iterating
    for (const auto& event : body.at("events")) call.emit(event);
    return reos::Result::ok();
  }

 private:
  static reos::Result services(reos::Call& call) {
    nlohmann::json out;
    out["state_before"] = call.state_get("k").value_or("<none>");
    call.state_put("k", "v1");
    out["state_after"] = call.state_get("k").value_or("<none>");
    out["secret"] = call.secret("${TOKEN}");
    call.blob_put("photos/1.jpg", std::string("\x00\x01jpg", 5), "image/jpeg");
    const auto blob = call.blob_get("photos/1.jpg");
    out["blob_size"] = blob ? blob->size() : 0;
    out["blob_missing"] = !call.blob_get("nope").has_value();
    out["counter_ok"] = call.counter_add("things", 2.5);
    out["gauge_ok"] = call.gauge_set("level", 7);
    out["deadline_ms"] = call.deadline_remaining().count();
    out["host_minor"] = call.host().abi_minor();
    out["has_blob_get"] = call.host().has(&reos_host_api::blob_get);
    call.warn("services exercised");
    return reos::Result::ok(std::move(out));
  }

  static reos::Result http(reos::Call& call, const nlohmann::json& record) {
    reos::HttpRequest request;
    request.method = "POST";
    request.url = record.at("url").get<std::string>();
    request.headers = {{"Content-Type", "application/json"}};
    request.body = R"({"q":1})";
    request.timeout = std::chrono::seconds(3);
    const reos::HttpResponse response = call.http(request);
    return reos::Result::ok({{"status", response.status},
                             {"etag", response.header("etag").value_or("")},
                             {"body", response.json()}});
  }

  int page_size_ = 2;
};

constexpr char kSchema[] = R"({"type":"object"})";

}  // namespace

REOS_CPP_PLUGIN(SdkTestPlugin, "sdk_test_plugin", "0.0.1", "Test plugin for reos/plugin.hpp",
                REOS_KIND_SOURCE | REOS_KIND_ENRICHER | REOS_KIND_SCORER | REOS_KIND_NOTIFIER |
                    REOS_KIND_EXPORTER | REOS_KIND_WEBHOOK,
                REOS_FLAG_THREAD_SAFE, kSchema);

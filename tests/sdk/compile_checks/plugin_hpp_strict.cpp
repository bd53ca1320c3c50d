// reos/plugin.hpp compiles cleanly under the strictest warnings a plugin author may use
// (-pedantic -Wshadow -Wconversion -Wsign-conversion -Wold-style-cast), for every kind.
#include <reos/plugin.hpp>

namespace {
class Everything : public reos::Plugin {
 public:
  explicit Everything(const nlohmann::json&) {}
  reos::Result pull(reos::Call&, std::string_view) { return reos::Result::ok(); }
  reos::Result enrich(reos::Call&, nlohmann::json r) { return reos::Result::ok(std::move(r)); }
  reos::Result score(reos::Call&, const nlohmann::json&) {
    return reos::Result::ok({{"score", 0}});
  }
  reos::Result notify(reos::Call&, const nlohmann::json&) { return reos::Result::fail("no"); }
  reos::Result export_record(reos::Call&, const nlohmann::json&, std::string_view) {
    return reos::Result::retry(std::chrono::seconds(1), "later");
  }
  reos::Result webhook(reos::Call&, const reos::WebhookRequest&) {
    return reos::Result::invalid("no");
  }
  static constexpr std::uint16_t kMinHostMinor = 0;
};
}  // namespace

REOS_CPP_PLUGIN(Everything, "everything", "1.0.0", "compile check",
                REOS_KIND_SOURCE | REOS_KIND_ENRICHER | REOS_KIND_SCORER | REOS_KIND_NOTIFIER |
                    REOS_KIND_EXPORTER | REOS_KIND_WEBHOOK,
                0, nullptr);

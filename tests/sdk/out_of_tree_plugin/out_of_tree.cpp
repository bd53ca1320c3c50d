// The smallest useful C++ plugin: an enricher that stamps each record.
#include <reos/plugin.hpp>

class Stamp : public reos::Plugin {
 public:
  explicit Stamp(const nlohmann::json& settings) : tag_(settings.value("tag", "seen")) {}

  reos::Result enrich(reos::Call&, nlohmann::json record) {
    record["tag"] = tag_;
    return reos::Result::ok(std::move(record));
  }

 private:
  std::string tag_;
};

REOS_CPP_PLUGIN(Stamp, "out_of_tree", "1.0.0", "Stamps records", REOS_KIND_ENRICHER, 0, nullptr);

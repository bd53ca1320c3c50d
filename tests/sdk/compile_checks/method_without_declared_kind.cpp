// Must NOT compile: the class implements enrich() but declares only REOS_KIND_SCORER.
#include <reos/plugin.hpp>
class Undeclared : public reos::Plugin {
 public:
  explicit Undeclared(const nlohmann::json&) {}
  reos::Result score(reos::Call&, const nlohmann::json&) { return reos::Result::ok(); }
  reos::Result enrich(reos::Call&, const nlohmann::json&) { return reos::Result::ok(); }
};
REOS_CPP_PLUGIN(Undeclared, "undeclared", "1.0.0", "", REOS_KIND_SCORER, 0, nullptr);

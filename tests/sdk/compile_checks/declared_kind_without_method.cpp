// Must NOT compile: REOS_KIND_SCORER is declared but the class has no score().
#include <reos/plugin.hpp>
class NoScore : public reos::Plugin {
 public:
  explicit NoScore(const nlohmann::json&) {}
};
REOS_CPP_PLUGIN(NoScore, "no_score", "1.0.0", "", REOS_KIND_SCORER, 0, nullptr);

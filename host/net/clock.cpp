#include "net/clock.hpp"

#include <thread>

namespace reos::net {
namespace {

class RealClock final : public Clock {
 public:
  std::chrono::steady_clock::time_point now() override { return std::chrono::steady_clock::now(); }
  std::chrono::system_clock::time_point wall_now() override {
    return std::chrono::system_clock::now();
  }
  void sleep_until(std::chrono::steady_clock::time_point t) override {
    std::this_thread::sleep_until(t);
  }
};

}  // namespace

Clock& real_clock() {
  static RealClock clock;
  return clock;
}

}  // namespace reos::net

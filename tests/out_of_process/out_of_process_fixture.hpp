#pragma once

#include <cstdlib>
#include <string>

// Shared set-up for the out-of-process suites: REOS_PLUGIN_HOST points at the built
// reos-plugin-host (the way tests and unusual installs find it), and helpers to create an
// instance of one of the test plugins.

#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <cerrno>
#include <memory>

#include "out_of_process/recording_host_services.hpp"
#include "plugin_runtime/out_of_process_instance.hpp"

namespace reos::test {

class OutOfProcess : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv("REOS_PLUGIN_HOST", REOS_PLUGIN_HOST_BINARY, 1);
    // Under AddressSanitizer the child would catch its own SIGSEGV/SIGABRT, report and exit 1;
    // the crash tests need it to die by the signal, as it does in a normal build.
    const char* asan = std::getenv("ASAN_OPTIONS");
    const std::string options = std::string(asan ? asan : "") + ":handle_segv=0:handle_abort=0";
    ::setenv("ASAN_OPTIONS", options.c_str(), 1);
  }

  static plugin_runtime::CallContext ctx(
      std::string correlation = "corr-1",
      std::chrono::milliseconds deadline = std::chrono::milliseconds(5000)) {
    return {"tenant-a", "conn-1", std::move(correlation), deadline};
  }

  std::unique_ptr<plugin_runtime::OutOfProcessInstance> start(
      const std::string& plugin, plugin_runtime::OutOfProcessOptions options = {},
      std::string settings = "{}") {
    plugin_runtime::CallResult created;
    auto instance = plugin_runtime::OutOfProcessInstance::create(plugin, services, ctx(), settings,
                                                                 created, std::move(options));
    EXPECT_NE(instance, nullptr) << created.message;
    EXPECT_EQ(created.status, REOS_OK) << created.message;
    return instance;
  }

  /// True when `pid` is gone and reaped: not our child any more and not a process at all.
  static bool fully_reaped(pid_t pid) {
    int status = 0;
    bool not_our_child = ::waitpid(pid, &status, WNOHANG) < 0 && errno == ECHILD;
    bool no_such_process = ::kill(pid, 0) != 0 && errno == ESRCH;
    return not_our_child && no_such_process;
  }

  std::shared_ptr<RecordingHostServices> services = std::make_shared<RecordingHostServices>();
};

}  // namespace reos::test

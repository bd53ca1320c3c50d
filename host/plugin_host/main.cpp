// reos-plugin-host — runs one plugin in its own process for `isolation: process`
// connectors. Started by the host (out_of_process_child.cpp) as
//     reos-plugin-host --fd N /path/to/libreos_<name>.so
// where N is its end of a socketpair; speaks the protocol in plugin_wire_protocol.hpp.
// A crash here takes down only this process; the host reports it and restarts it.

#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "plugin_host/plugin_host_server.hpp"

int main(int argc, char** argv) {
  using namespace reos::plugin_host;
  if (argc != 4 || std::string(argv[1]) != "--fd") {
    std::fprintf(stderr,
                 "usage: reos-plugin-host --fd N PLUGIN.so\n"
                 "Runs one reos plugin for the host process over the socket on fd N; not meant "
                 "to be started by hand.\n");
    return kExitUsage;
  }
  char* end = nullptr;
  long fd = std::strtol(argv[2], &end, 10);
  if (*argv[2] == '\0' || *end != '\0' || fd < 0 || fd > 1 << 20) {
    std::fprintf(stderr, "reos-plugin-host: --fd wants a descriptor number, got '%s'\n", argv[2]);
    return kExitUsage;
  }
  // Sends use MSG_NOSIGNAL; this also covers anything the plugin itself writes to a closed
  // pipe or socket.
  ::signal(SIGPIPE, SIG_IGN);
  return serve_plugin(static_cast<int>(fd), argv[3]);
}

// reos-rets-test-server: the RETS test server (rets_test_server.*) as a process, seeded from
// the King County sales CSV, for the demo tenant (config/demo) and for trying the rets plugin
// by hand. Not a production RETS server: one user, listings in memory.
//
//   reos-rets-test-server [--csv PATH] [--port 6103] [--user demo] [--password demo]
//
// Prints the Login URL and serves until SIGINT/SIGTERM.
#include <signal.h>

#include <cstdlib>
#include <iostream>
#include <string>

#include "kc_listings.hpp"
#include "log/logger.hpp"
#include "rets_test_server.hpp"

int main(int argc, char** argv) try {
  std::string csv = "../shared/data/kc_house_data.csv";
  std::string user = "demo", password = "demo";
  int port = 6103;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--csv") {
      csv = v;
    } else if (k == "--port") {
      port = std::stoi(v);
    } else if (k == "--user") {
      user = v;
    } else if (k == "--password") {
      password = v;
    } else {
      std::cerr << "reos-rets-test-server: unknown option " << k << "\n";
      return 2;
    }
  }
  if (argc % 2 == 0) {
    std::cerr << "usage: reos-rets-test-server [--csv PATH] [--port N] [--user U] [--password P]\n";
    return 2;
  }
  reos::log::init("warn", "text");
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);  // before the server's threads start

  auto listings = reos::test::kc_listings(csv);
  reos::test::RetsTestServer server(user, password, port);
  server.set_extra_columns(reos::test::kc_extra_columns());
  const std::size_t n = listings.size();
  server.set_listings(std::move(listings));
  std::cout << "reos-rets-test-server: " << n << " listings from " << csv << " at "
            << server.login_url() << " (user " << user << ")" << std::endl;
  int sig = 0;
  sigwait(&stop, &sig);
  return 0;
} catch (const std::exception& e) {
  std::cerr << "reos-rets-test-server: " << e.what() << "\n";
  return 1;
}

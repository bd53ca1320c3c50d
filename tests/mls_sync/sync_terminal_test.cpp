// `reos sync` on a terminal (a pseudo-terminal from script(1)): a progress bar redrawn in
// place with records/s, pages and the ETA from the RETS COUNT, then a one-line summary; JSON
// lines when stdout is not a terminal.
#include "mls_sync_fixture.hpp"

namespace {

using reos::test::MlsSyncFixture;
using SyncTerminal = MlsSyncFixture;

TEST_F(SyncTerminal, DrawsAProgressBarOnATerminalAndJsonLinesOtherwise) {
  server_.set_listings(listings(5));
  server_.faults.slow_ms = 250;  // three pages of two: the bar is drawn between them
  const std::string command =
      std::string(REOS_BINARY) + " --config " + dir_ + "/hub.yaml sync acme mls --full";
  const auto tty =
      reos::test::run_program({"/usr/bin/script", "-qec", command, "/dev/null"},
                              {"REOS_DATABASE__URL=" + db_.conninfo(), "MLS_TEST_PASSWORD=secret"});
  ASSERT_EQ(tty.exit_code, 0) << tty.out << tty.err;
  EXPECT_NE(tty.out.find("rec/s"), std::string::npos) << tty.out;
  EXPECT_NE(tty.out.find("/5  "), std::string::npos) << tty.out;  // the announced total
  EXPECT_NE(tty.out.find("ETA "), std::string::npos) << tty.out;
  EXPECT_NE(tty.out.find("\r"), std::string::npos);  // redrawn in place
  EXPECT_NE(tty.out.find("done in "), std::string::npos) << tty.out;
  EXPECT_NE(tty.out.find("5 records in 3 pages; 5 properties, 0 quarantined"), std::string::npos)
      << tty.out;
  EXPECT_EQ(tty.out.find("{\"sync\""), std::string::npos) << tty.out;

  const auto piped = sync(true);
  ASSERT_EQ(piped.exit_code, 0) << piped.err;
  EXPECT_NE(piped.out.find("{\"sync\":\"done\""), std::string::npos) << piped.out;
  EXPECT_NE(piped.out.find("\"fetched\":5,\"pages\":3"), std::string::npos) << piped.out;
  EXPECT_EQ(piped.out.find("rec/s"), std::string::npos);
}

}  // namespace

// The terminal progress of `reos sync` (host/cli/sync_progress.*): the line's figures, the bar
// and ETA only when the source announced a total, and the total read from the metrics text.
#include "cli/sync_progress.hpp"

#include <gtest/gtest.h>

namespace {

using reos::cli::announced_total;
using reos::cli::progress_line;
using reos::cli::SyncCounts;

TEST(SyncProgress, ShowsRateAndPagesWithoutATotal) {
  SyncCounts c;
  c.fetched = 45000;
  c.pages = 18;
  EXPECT_EQ(progress_line(c, 2.0, 120), "  45,000  22,500 rec/s  18 pages");
}

TEST(SyncProgress, DrawsABarAndAnEtaWithATotal) {
  SyncCounts c;
  c.fetched = 25000;
  c.pages = 10;
  c.total = 100000;
  const std::string line = progress_line(c, 5.0, 200);
  // 25% of a 40-column bar; 75,000 left at 5,000 rec/s = 15 s.
  EXPECT_EQ(line, "[" + std::string(10, '#') + std::string(30, '.') +
                      "]  25,000/100,000  5,000 rec/s  10 pages  ETA 0:15");
  EXPECT_LE(progress_line(c, 5.0, 50).size(), 50u);  // fits a narrow terminal
}

TEST(SyncProgress, ReadsTheAnnouncedTotalOfItsConnectorOnly) {
  const std::string metrics =
      "# TYPE reos_plugin_rets_search_matches gauge\n"
      "reos_plugin_rets_search_matches{tenant=\"beta\",connector=\"mls\"} 7\n"
      "reos_plugin_rets_search_matches{tenant=\"acme\",connector=\"mls\"} 100000\n"
      "reos_plugin_rets_rows_total{tenant=\"acme\",connector=\"mls\"} 2500\n";
  EXPECT_EQ(announced_total(metrics, "acme", "mls"), 100000);
  EXPECT_EQ(announced_total(metrics, "beta", "mls"), 7);
  EXPECT_EQ(announced_total(metrics, "acme", "other"), std::nullopt);
  EXPECT_EQ(announced_total("", "acme", "mls"), std::nullopt);
}

}  // namespace

#include "http/metrics_registry.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <thread>

#include "prometheus_text.hpp"

namespace reos::http {
namespace {

using test::PromExposition;

PromExposition parse_ok(const MetricsRegistry& reg) {
  PromExposition exp;
  std::string text = reg.render();
  std::string err = test::parse_prometheus_text(text, exp);
  EXPECT_EQ(err, "") << text;
  EXPECT_EQ(test::check_histograms(exp), "") << text;
  return exp;
}

TEST(MetricsRegistry, CounterWithLabelsRendersHelpTypeAndValue) {
  MetricsRegistry reg;
  auto& c = reg.counter("reos_jobs_total", "Jobs run", {"kind", "outcome"});
  c.with({"cma", "ok"}).inc();
  c.with({"cma", "ok"}).inc(2);
  c.with({"cma", "failed"}).inc();
  std::string text = reg.render();
  EXPECT_NE(text.find("# HELP reos_jobs_total Jobs run\n"), std::string::npos);
  EXPECT_NE(text.find("# TYPE reos_jobs_total counter\n"), std::string::npos);
  EXPECT_NE(text.find("reos_jobs_total{kind=\"cma\",outcome=\"ok\"} 3\n"), std::string::npos)
      << text;
  auto exp = parse_ok(reg);
  EXPECT_EQ(exp.value("reos_jobs_total", {{"kind", "cma"}, {"outcome", "failed"}}), 1.0);
}

TEST(MetricsRegistry, CounterIgnoresNegativeIncrements) {
  MetricsRegistry reg;
  auto& c = reg.counter("reos_x_total", "x").with({});
  c.inc(5);
  c.inc(-3);
  EXPECT_EQ(c.value(), 5);
}

TEST(MetricsRegistry, UnlabelledFamiliesRenderZeroBeforeUse) {
  MetricsRegistry reg;
  reg.counter("reos_a_total", "a");
  reg.gauge("reos_b", "b");
  auto exp = parse_ok(reg);
  EXPECT_EQ(exp.value("reos_a_total"), 0.0);
  EXPECT_EQ(exp.value("reos_b"), 0.0);
}

TEST(MetricsRegistry, EscapesLabelValuesAndHelp) {
  MetricsRegistry reg;
  reg.gauge("reos_weird", "line one\nback\\slash", {"v"}).with({"a\"b\\c\nd"}).set(1);
  std::string text = reg.render();
  EXPECT_NE(text.find(R"(reos_weird{v="a\"b\\c\nd"} 1)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(# HELP reos_weird line one\nback\\slash)"), std::string::npos) << text;
  auto exp = parse_ok(reg);
  EXPECT_EQ(exp.value("reos_weird", {{"v", "a\"b\\c\nd"}}), 1.0);
  EXPECT_EQ(escape_label_value("plain"), "plain");
}

TEST(MetricsRegistry, HistogramBucketsAreCumulativeWithInclusiveUpperBounds) {
  MetricsRegistry reg;
  auto& h = reg.histogram("reos_latency_seconds", "latency", {"route"}, {0.1, 0.5, 1});
  auto& s = h.with({"/x"});
  for (double v : {0.05, 0.1, 0.3, 0.5, 0.7, 2.0}) s.observe(v);
  auto snap = s.snapshot();
  EXPECT_EQ(snap.cumulative, (std::vector<std::uint64_t>{2, 4, 5, 6}));
  EXPECT_EQ(snap.count, 6u);
  EXPECT_NEAR(snap.sum, 3.65, 1e-9);

  auto exp = parse_ok(reg);
  EXPECT_EQ(exp.value("reos_latency_seconds_bucket", {{"route", "/x"}, {"le", "0.1"}}), 2.0);
  EXPECT_EQ(exp.value("reos_latency_seconds_bucket", {{"route", "/x"}, {"le", "0.5"}}), 4.0);
  EXPECT_EQ(exp.value("reos_latency_seconds_bucket", {{"route", "/x"}, {"le", "1"}}), 5.0);
  EXPECT_EQ(exp.value("reos_latency_seconds_bucket", {{"route", "/x"}, {"le", "+Inf"}}), 6.0);
  EXPECT_EQ(exp.value("reos_latency_seconds_count", {{"route", "/x"}}), 6.0);
  ASSERT_TRUE(exp.value("reos_latency_seconds_sum", {{"route", "/x"}}));
  EXPECT_NEAR(*exp.value("reos_latency_seconds_sum", {{"route", "/x"}}), 3.65, 1e-9);
}

TEST(MetricsRegistry, DefaultLatencyBucketsRenderAsWritten) {
  MetricsRegistry reg;
  reg.histogram("reos_d_seconds", "d", {}, default_latency_buckets()).with({}).observe(0.003);
  std::string text = reg.render();
  for (const char* le : {"0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5",
                         "1", "2.5", "5", "10", "+Inf"}) {
    EXPECT_NE(text.find(std::string("le=\"") + le + "\""), std::string::npos) << le;
  }
  auto exp = parse_ok(reg);
  EXPECT_EQ(exp.value("reos_d_seconds_bucket", {{"le", "0.0025"}}), 0.0);
  EXPECT_EQ(exp.value("reos_d_seconds_bucket", {{"le", "0.005"}}), 1.0);
}

TEST(MetricsRegistry, GaugeCallbacksAreEvaluatedAtScrapeAndCanBeRemoved) {
  MetricsRegistry reg;
  double in_use = 3;
  reg.add_gauge_callback("reos_db_pool_connections", "pool", {{"state", "in_use"}},
                         [&] { return in_use; });
  auto idle = reg.add_gauge_callback("reos_db_pool_connections", "pool", {{"state", "idle"}},
                                     [] { return 7.0; });
  auto exp = parse_ok(reg);
  EXPECT_EQ(exp.value("reos_db_pool_connections", {{"state", "in_use"}}), 3.0);
  EXPECT_EQ(exp.value("reos_db_pool_connections", {{"state", "idle"}}), 7.0);
  in_use = 4;
  exp = parse_ok(reg);
  EXPECT_EQ(exp.value("reos_db_pool_connections", {{"state", "in_use"}}), 4.0);
  reg.remove_gauge_callback(idle);
  exp = parse_ok(reg);
  EXPECT_FALSE(exp.value("reos_db_pool_connections", {{"state", "idle"}}));
  EXPECT_THROW(reg.add_gauge_callback("reos_db_pool_connections", "pool", {{"state", "in_use"}},
                                      [] { return 1.0; }),
               std::invalid_argument);
}

TEST(MetricsRegistry, ThrowingCallbackIsSkippedNotFatal) {
  MetricsRegistry reg;
  reg.add_gauge_callback("reos_bad", "bad", {}, []() -> double { throw std::runtime_error("x"); });
  reg.gauge("reos_good", "good").with({}).set(2);
  auto exp = parse_ok(reg);
  EXPECT_FALSE(exp.value("reos_bad"));
  EXPECT_EQ(exp.value("reos_good"), 2.0);
}

TEST(MetricsRegistry, SpecialValues) {
  MetricsRegistry reg;
  auto& g = reg.gauge("reos_g", "g", {"k"});
  g.with({"nan"}).set(std::nan(""));
  g.with({"inf"}).set(HUGE_VAL);
  g.with({"neg"}).set(-1.5);
  g.with({"big"}).set(12345678);
  std::string text = reg.render();
  EXPECT_NE(text.find("reos_g{k=\"nan\"} NaN\n"), std::string::npos) << text;
  EXPECT_NE(text.find("reos_g{k=\"inf\"} +Inf\n"), std::string::npos) << text;
  EXPECT_NE(text.find("reos_g{k=\"neg\"} -1.5\n"), std::string::npos) << text;
  EXPECT_NE(text.find("reos_g{k=\"big\"} 12345678\n"), std::string::npos) << text;
  parse_ok(reg);
}

TEST(MetricsRegistry, ReRegistrationReturnsSameFamilyButConflictsThrow) {
  MetricsRegistry reg;
  auto& a = reg.counter("reos_c_total", "c", {"x"});
  auto& b = reg.counter("reos_c_total", "c", {"x"});
  EXPECT_EQ(&a, &b);
  EXPECT_THROW(reg.gauge("reos_c_total", "c", {"x"}), std::invalid_argument);
  EXPECT_THROW(reg.counter("reos_c_total", "c", {"y"}), std::invalid_argument);
  EXPECT_THROW(reg.counter("9bad", "c"), std::invalid_argument);
  EXPECT_THROW(reg.counter("reos_ok_total", "c", {"__reserved"}), std::invalid_argument);
  EXPECT_THROW(reg.histogram("reos_h", "h", {"le"}, {1}), std::invalid_argument);
  EXPECT_THROW(reg.histogram("reos_h2", "h", {}, {1, 1}), std::invalid_argument);
  reg.histogram("reos_h3", "h", {}, {1, 2});
  EXPECT_THROW(reg.histogram("reos_h3", "h", {}, {1, 3}), std::invalid_argument);
  EXPECT_THROW(a.with({"1", "2"}), std::invalid_argument);
}

TEST(MetricsRegistry, ConcurrentUpdatesAreNotLost) {
  MetricsRegistry reg;
  auto& c = reg.counter("reos_n_total", "n", {"t"});
  auto& h = reg.histogram("reos_n_seconds", "n", {"t"}, {0.5});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 5000; ++i) {
        c.with({"same"}).inc();
        h.with({"same"}).observe(i % 2 ? 0.25 : 1.0);
      }
    });
  }
  std::string mid = reg.render();  // scrape while writers run: must still be consistent
  for (auto& th : threads) th.join();
  PromExposition exp;
  EXPECT_EQ(test::parse_prometheus_text(mid, exp), "");
  EXPECT_EQ(test::check_histograms(exp), "");
  exp = parse_ok(reg);
  EXPECT_EQ(exp.value("reos_n_total", {{"t", "same"}}), 20000.0);
  EXPECT_EQ(exp.value("reos_n_seconds_bucket", {{"t", "same"}, {"le", "0.5"}}), 10000.0);
  EXPECT_EQ(exp.value("reos_n_seconds_count", {{"t", "same"}}), 20000.0);
}

// The strict reader must itself reject what it is meant to catch.
TEST(PrometheusTextReader, RejectsMalformedExpositions) {
  PromExposition e;
  EXPECT_NE(test::parse_prometheus_text("x 1\n", e), "");  // no HELP/TYPE
  e = {};
  EXPECT_NE(test::parse_prometheus_text("# HELP x h\n# TYPE x gauge\nx{a=\"b\",} 1\n", e), "");
  e = {};
  EXPECT_NE(test::parse_prometheus_text("# HELP x h\n# TYPE x gauge\nx{a=\"\\t\"} 1\n", e), "");
  e = {};
  EXPECT_NE(test::parse_prometheus_text("# HELP x h\n# TYPE x gauge\nx one\n", e), "");
  e = {};
  EXPECT_NE(test::parse_prometheus_text("# HELP x h\n# TYPE x gauge\nx 1", e), "");
  e = {};
  EXPECT_NE(test::parse_prometheus_text("# HELP x h\n# TYPE x gauge\n\nx 1\n", e), "");
  e = {};
  ASSERT_EQ(test::parse_prometheus_text("# HELP h h\n# TYPE h histogram\n"
                                        "h_bucket{le=\"1\"} 3\nh_bucket{le=\"+Inf\"} 2\n"
                                        "h_sum 1\nh_count 2\n",
                                        e),
            "");
  EXPECT_NE(test::check_histograms(e), "");  // not cumulative
  e = {};
  ASSERT_EQ(test::parse_prometheus_text("# HELP h h\n# TYPE h histogram\n"
                                        "h_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\n"
                                        "h_sum 1\nh_count 3\n",
                                        e),
            "");
  EXPECT_NE(test::check_histograms(e), "");  // _count != +Inf
}

}  // namespace
}  // namespace reos::http

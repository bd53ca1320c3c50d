#pragma once

// A hub with one tenant ("acme") whose pipeline reads a RETS connector ("mls") from an
// in-test RetsTestServer through connectors/mls/rets_generic.yaml, run with the real
// `reos sync` against a fresh database.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rets_test_server.hpp"
#include "support/child_process.hpp"
#include "support/test_database.hpp"

namespace reos::test {

class MlsSyncFixture : public ::testing::Test {
 protected:
  MlsSyncFixture();
  ~MlsSyncFixture() override;

  /// `reos sync acme mls [--full]`.
  RunResult sync(bool full = false, const std::vector<std::string>& extra_args = {});
  /// (Re)writes tenants/acme.yaml with the pipeline's normalize field map at `field_map`.
  void write_tenant(const std::string& field_map);
  long long count(const std::string& sql);
  std::string text(const std::string& sql);
  /// Listings L1..Ln at 2024-01-01T10:00:0i, price 100000·i.
  static std::vector<RetsListing> listings(int n);

  TestDatabase db_;
  RetsTestServer server_{"agent", "secret"};
  std::string dir_;
};

}  // namespace reos::test

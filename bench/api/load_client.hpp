#pragma once

// A small HTTP load generator on libcurl multi (keep-alive connections, one thread):
//   - paced (open loop): request i is due at start + i / rate, whether or not earlier ones
//     have answered; latency is measured from the DUE time, so a stalled server is charged
//     for the requests it delayed (no coordinated omission);
//   - saturating (closed loop): `connections` requests always in flight.

#include <string>
#include <vector>

namespace reos::bench {

struct LoadSpec {
  std::vector<std::string> urls;     ///< used round-robin
  std::vector<std::string> headers;  ///< "Name: value"
  double rate = 0;                   ///< requests/s (paced); 0 = saturate
  int connections = 16;              ///< most requests in flight
  double seconds = 10;               ///< measured duration
  double warmup_seconds = 2;         ///< run the same load first, unmeasured
};

struct LoadResult {
  long requests = 0;  ///< measured completions
  long errors = 0;    ///< transport errors and non-200 answers
  double seconds = 0;
  double req_per_s = 0;
  double p50_ms = 0, p90_ms = 0, p99_ms = 0, max_ms = 0;
  long bytes = 0;     ///< response bytes of the measured requests
  long not_sent = 0;  ///< paced: requests that fell due but found no free connection by the end
};

/// Runs `spec` and returns what was measured.
LoadResult run_load(const LoadSpec& spec);

}  // namespace reos::bench

#pragma once

// A closed-loop HTTP/1.1 load generator for loopback: `connections` threads, each with one
// keep-alive socket, send prepared requests in turn and wait for each answer. Records every
// latency and which requests got a 2xx (the crash run needs to know exactly which).

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace bench {

struct LoadResult {
  double seconds = 0;                       ///< first send to last answer
  std::uint64_t sent = 0;                   ///< requests written (answered or not)
  std::uint64_t ok = 0;                     ///< 2xx answers
  std::uint64_t other_status = 0;           ///< non-2xx answers
  std::uint64_t transport_errors = 0;       ///< no answer (refused, reset, closed)
  std::vector<std::uint32_t> acknowledged;  ///< indexes of the requests answered 2xx
  std::vector<double> latencies_ms;         ///< of the 2xx answers
  double percentile_ms(double p) const;
};

/// Sends requests[0..] (raw HTTP bytes) until all are sent or `duration` passes.
LoadResult run_load(int port, const std::vector<std::string>& requests, int connections,
                    std::chrono::milliseconds duration);

}  // namespace bench

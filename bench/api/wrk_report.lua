-- wrk script for bench/api: round-robin over the paths given after `--`, and one JSON line
-- with the figures at the end (latencies in microseconds).
local paths = {}
local next_path = 1

function init(args)
  for i = 1, #args do paths[i] = args[i] end
end

function request()
  local path = paths[next_path]
  next_path = next_path % #paths + 1
  return wrk.format("GET", path)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"wrk_requests":%d,"wrk_duration_us":%d,"wrk_errors":%d,"wrk_non_2xx":%d,' ..
    '"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end

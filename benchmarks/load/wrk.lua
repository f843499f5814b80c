-- The request mix of benchmarks/run.sh: half GET /orders/{id} (one JDBC query, JSON), half
-- GET /orders/{id}/checkout (the same query; one call in 100 fails with a 500), ids 1..1000.
-- done() prints one machine-readable line that run.sh keeps: exact percentiles from wrk's
-- histogram, in microseconds.
local counter = 0

request = function()
  counter = counter + 1
  local id = (counter % 1000) + 1
  if counter % 2 == 0 then
    return wrk.format("GET", "/orders/" .. id)
  end
  return wrk.format("GET", "/orders/" .. id .. "/checkout")
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"duration_us":%d,"bytes":%d,"non2xx":%d,"connect_errors":%d,' ..
    '"read_errors":%d,"write_errors":%d,"timeouts":%d,"latency_mean_us":%.1f,' ..
    '"latency_p50_us":%d,"latency_p90_us":%d,"latency_p99_us":%d,"latency_p999_us":%d,"latency_max_us":%d}\n',
    summary.requests, summary.duration, summary.bytes, e.status, e.connect, e.read, e.write, e.timeout,
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9), latency.max))
end

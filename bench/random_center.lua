-- wrk script: each request reads a random center (ids 1..CENTERS), a page of the centers list
-- or a view of the national dashboard, with a Bearer token (IPOC_BENCH_MODE).
local token = os.getenv("IPOC_BENCH_TOKEN")
local centers = tonumber(os.getenv("IPOC_BENCH_CENTERS") or "1000")
local year = os.getenv("IPOC_BENCH_YEAR") or "2025"
local mode = os.getenv("IPOC_BENCH_MODE") or "metrics"
math.randomseed(os.time())

request = function()
  local path
  if mode == "metrics" then
    path = "/api/v1/centers/" .. math.random(1, centers) .. "/metrics?year=" .. year
  elseif mode == "dashboard" then
    -- what reviewers do: the first page (red first), one light, one province by amount, a later page
    local views = {
      "/api/v1/dashboard?per_page=50",
      "/api/v1/dashboard?per_page=50&light=red",
      "/api/v1/dashboard?per_page=50&province=" .. (10 + math.random(1, 55)) .. "&sort=amount&dir=desc",
      "/api/v1/dashboard?per_page=50&page=" .. math.random(1, math.floor(centers / 50)),
    }
    path = views[math.random(1, #views)]
  else
    path = "/api/v1/centers?per_page=50&page=" .. math.random(1, math.floor(centers / 50))
  end
  return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. token })
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d errors=%d p50_ms=%.2f p99_ms=%.2f rps=%.0f\n",
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.requests / (summary.duration / 1e6)))
end

-- wrk script: library searches with a Bearer token, 3-word or 20-word queries (IPOC_BENCH_WORDS)
-- drawn from the technical vocabulary, half of them with filters (industry, IPC prefix, maturity).
local token = os.getenv("IPOC_BENCH_TOKEN")
local count = tonumber(os.getenv("IPOC_BENCH_WORDS") or "3")
math.randomseed(os.time())
local words = {"锂电池", "负极材料", "石墨烯", "涂层", "传感器", "机器视觉", "减速器", "伺服电机", "光伏", "储能",
  "疫苗", "抗体", "污水处理", "碳纤维", "芯片", "激光器", "燃料电池", "轴承", "数控机床", "缺陷检测",
  "复合材料", "防腐", "柔性显示", "逆变器", "充电桩", "深度学习", "基因治疗", "脱硫", "钛合金", "无人机"}
local industries = {"新材料", "新能源", "新一代信息技术", "高端装备制造", "生物", "节能环保"}
local ipc = {"H01M", "C09D", "G06T", "B25J", "A61K", "H02J"}

local function encode(s)
  return (s:gsub("[^%w]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

request = function()
  local q = {}
  for i = 1, count do q[i] = words[math.random(1, #words)] end
  local path = "/api/v1/patents?per_page=20&q=" .. encode(table.concat(q, " "))
  local r = math.random(1, 4)
  if r == 1 then path = path .. "&industry=" .. encode(industries[math.random(1, #industries)])
  elseif r == 2 then path = path .. "&ipc=" .. ipc[math.random(1, #ipc)]
  elseif r == 3 then path = path .. "&maturity_min=5" end
  return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. token })
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d errors=%d p50_ms=%.2f p95_ms=%.2f p99_ms=%.2f rps=%.0f\n",
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests / (summary.duration / 1e6)))
end

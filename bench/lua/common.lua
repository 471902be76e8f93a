-- Shared by every scenario: the fixture data, request helpers, and a done() that prints one JSON
-- line with throughput, latency percentiles and status counts summed over all threads.
data = dofile(os.getenv("BENCH_DATA"))
local threads = {}
counts = {}
reservations = 0

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function count(status)
  counts[status] = (counts[status] or 0) + 1
end

function bearer(token, extra)
  local headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
  for k, v in pairs(extra or {}) do headers[k] = v end
  return headers
end

function post(path, token, body)
  return wrk.format("POST", path, bearer(token), body or "")
end

function get(path, token, extra)
  return wrk.format("GET", path, token and bearer(token, extra) or extra)
end

function seat_path(event, seat, action)
  return "/api/events/" .. event .. "/seats/" .. seat .. "/" .. action .. "/"
end

function done(summary, latency, requests)
  local totals, confirmed = {}, 0
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("counts")) do
      totals[status] = (totals[status] or 0) + n
    end
    confirmed = confirmed + thread:get("reservations")
  end
  local statuses = {}
  for status, n in pairs(totals) do
    statuses[#statuses + 1] = string.format('"%s": %d', status, n)
  end
  local errors = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "seconds": %.3f, "p50_ms": %.2f, "p99_ms": %.2f, ' ..
    '"socket_errors": %d, "reservations": %d, "statuses": {%s}}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    errors.connect + errors.read + errors.write + errors.timeout, confirmed, table.concat(statuses, ", ")))
end

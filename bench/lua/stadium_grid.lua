-- Scenario 8: the 50,000-seat stadium's whole grid, read again and again, gzip as a browser asks
-- for it. BENCH_VIEWER=holder: each thread is a customer who holds seats there (data.viewer_tokens,
-- their holds taken by the harness before the run), else an anonymous viewer.
dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local path, token
local headers = { ["Accept-Encoding"] = "gzip" }

function init()
  path = "/api/events/" .. data.stadium_event .. "/seats/"
  if os.getenv("BENCH_VIEWER") == "holder" then
    token = data.viewer_tokens[id]
  end
end

function request()
  return get(path, token, headers)
end

function response(status)
  count(status)
end

-- Scenario 4: poll the 1,000-seat grid. With BENCH_ETAG set, revalidate (expect 304).
dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local token, path, etag

function init()
  token = data.tokens[id]
  path = "/api/events/" .. data.grid_event .. "/seats/"
  etag = os.getenv("BENCH_ETAG")
end

function request()
  return get(path, token, etag and { ["If-None-Match"] = data.grid_etags[id] } or nil)
end

function response(status)
  count(status)
end

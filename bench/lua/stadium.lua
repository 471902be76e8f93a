-- Scenario 5: reads of the 50,000-seat stadium, anonymous. BENCH_READ picks what is read:
--   list: the event list (the stadium among the events); 304: revalidate the stadium's grid;
--   feed: poll the change feed from a cursor ~10 changes back.
dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local read = os.getenv("BENCH_READ")
local path, headers

function init()
  local grid = "/api/events/" .. data.stadium_event .. "/seats/"
  if read == "list" then
    path = "/api/events/"
  elseif read == "304" then
    path, headers = grid, { ["If-None-Match"] = data.stadium_etag }
  else
    path = grid .. "?since=" .. data.stadium_cursor
  end
end

function request()
  return get(path, nil, headers)
end

function response(status)
  count(status)
end

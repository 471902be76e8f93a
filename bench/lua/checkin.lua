-- Scenario 7: staff at the door. Each thread is a scanner with a slice of its own of the event's
-- ticket codes (data.slices, from a fixture of its own), presented once each, so every request is a
-- first check-in (200). "reservations" counts the 200s. A thread whose slice is used up stops
-- (the harness sizes the slices so that none is; it reports it if one was).
dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local codes, position

function init()
  codes, position = data.slices[id], 1
end

function request()
  local code = codes[position]
  if code == nil then
    wrk.thread:stop()
    code = codes[#codes]
  end
  return post("/api/events/" .. data.event .. "/checkin/", data.token, '{"code": "' .. code .. '"}')
end

function response(status)
  count(status)
  if status == 200 then reservations = reservations + 1 end
  position = position + 1
end

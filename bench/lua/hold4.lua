-- Scenario 1b: hold 4 random seats side by side of a 1,000-seat event of its own in one request
-- (seat_ids), then give them up (DELETE holds). "reservations" counts the successful 4-seat holds.
dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local token, holding

function init()
  token = data.tokens[id]
  math.randomseed(id * 7919)
end

function request()
  if holding then
    return wrk.format("DELETE", "/api/events/" .. data.hold4_event .. "/holds/", bearer(token))
  end
  local first = math.random(#data.hold4_seats - 3)
  local four = {}
  for i = 0, 3 do four[#four + 1] = tostring(data.hold4_seats[first + i]) end
  return post("/api/events/" .. data.hold4_event .. "/holds/", token, '{"seat_ids": [' .. table.concat(four, ", ") .. ']}')
end

function response(status)
  count(status)
  if holding then
    holding = false
  elseif status == 200 then
    holding, reservations = true, reservations + 1
  end
end

-- Scenario 6: many customers at once ask for the best 4 seats together, reserve what they are given,
-- and ask again, until the event is full (then every ask is 409 not_enough_seats).
dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local token, seats

function init()
  token = data.tokens[id]
end

function request()
  if seats then
    return post("/api/events/" .. data.best_event .. "/reserve/", token, '{"seat_ids": [' .. seats .. ']}')
  end
  return post("/api/events/" .. data.best_event .. "/holds/", token, '{"count": 4}')
end

function response(status, headers, body)
  count(status)
  if seats then
    if status == 201 then reservations = reservations + 1 end
    seats = nil
  elseif status == 200 then
    local ids = {}
    for seat in string.gmatch(body, '{"id":%s*(%d+)') do ids[#ids + 1] = seat end
    seats = table.concat(ids, ", ")
  end
end

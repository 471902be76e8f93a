-- Scenario 3: many customers fight over 10 seats: hold one, reserve it, cancel, repeat.
dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local token, seat, reservation, step

function init()
  token = data.tokens[id]
  math.randomseed(id * 104729)
  step = "lock"
end

function request()
  if step == "reserve" then
    return post("/api/events/" .. data.hot_event .. "/reserve/", token, '{"seat_ids": [' .. seat .. ']}')
  elseif step == "cancel" then
    return post("/api/reservations/" .. reservation .. "/cancel/", token)
  end
  seat = data.hot_seats[math.random(#data.hot_seats)]
  return post(seat_path(data.hot_event, seat, "lock"), token)
end

function response(status, headers, body)
  count(status)
  if step == "lock" and status == 200 then
    step = "reserve"
  elseif step == "reserve" and status == 201 then
    reservations = reservations + 1
    reservation = string.match(body, '"reservation_id":%s*(%d+)')
    step = "cancel"
  else
    step = "lock"
  end
end

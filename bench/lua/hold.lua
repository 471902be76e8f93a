-- Scenario 1: hold a random seat of the 1,000-seat event, release it, repeat. One user per thread.
dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local token, seat, holding

function init()
  token = data.tokens[id]
  math.randomseed(id * 7919)
end

function request()
  if holding then
    return post(seat_path(data.hold_event, seat, "unlock"), token)
  end
  seat = data.hold_seats[math.random(#data.hold_seats)]
  return post(seat_path(data.hold_event, seat, "lock"), token)
end

function response(status)
  count(status)
  holding = (not holding) and status == 200
end

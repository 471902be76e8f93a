-- The stadium storm: hold a random seat of the 50,000-seat event, release it, repeat; what is held
-- at the end stays held. One user per thread.
dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local token, seat, holding, first, count_seats

function init()
  token = data.tokens[id]
  first, count_seats = data.stadium_first_seat, data.stadium_seats
  math.randomseed(id * 104729)
end

function request()
  if holding and math.random() < 0.8 then
    return post(seat_path(data.stadium_event, seat, "unlock"), token)
  end
  seat = first + math.random(count_seats) - 1
  return post(seat_path(data.stadium_event, seat, "lock"), token)
end

function response(status)
  count(status)
  holding = (not holding) and status == 200
end

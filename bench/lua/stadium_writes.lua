-- Scenario 8, the writes: each thread is a customer (data.writer_tokens) who holds a random seat of
-- the 50,000-seat stadium and releases it, again and again. "reservations" counts the holds taken.
-- BENCH_ROUND seeds the choice: a customer who gave a seat up may not take it back for a lock period
-- (the hold cooldown), so every round draws other seats.
dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local token, seat, holding

function init()
  token = data.writer_tokens[id]
  math.randomseed(id * 6007 + tonumber(os.getenv("BENCH_ROUND") or "0") * 104729)
end

function request()
  if holding then
    return post(seat_path(data.stadium_event, seat, "unlock"), token)
  end
  seat = data.stadium_first_seat + math.random(data.stadium_seats) - 1
  return post(seat_path(data.stadium_event, seat, "lock"), token)
end

function response(status)
  count(status)
  if not holding and status == 200 then
    reservations = reservations + 1
  end
  holding = (not holding) and status == 200
end

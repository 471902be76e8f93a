-- Scenario 2: each thread is a customer who holds 4 free seats, reserves them, and starts again.
dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local token, pool, position, step

function init()
  token = data.tokens[id]
  pool = data.checkout_pools[id]
  position, step = 1, 1
end

function request()
  if step <= 4 then
    return post(seat_path(data.checkout_event, pool[position + step - 1] or 0, "lock"), token)
  end
  local ids = {}
  for i = 0, 3 do ids[#ids + 1] = tostring(pool[position + i] or 0) end
  return post("/api/events/" .. data.checkout_event .. "/reserve/", token,
    '{"seat_ids": [' .. table.concat(ids, ", ") .. ']}')
end

function response(status)
  count(status)
  if step <= 4 then
    step = step + 1
  else
    if status == 201 then reservations = reservations + 1 end
    position, step = position + 4, 1
  end
end

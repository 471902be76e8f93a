-- Scenario 2: each thread is a customer who holds 4 free seats in one request and reserves them,
-- then starts again with the next 4 of its own pool. BENCH_ROUND=n takes the n-th of
-- data.checkout_rounds (an event, customers and seat pools of its own) instead of
-- data.checkout_event / data.tokens / data.checkout_pools.
dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local event, token, pool, position, holding

function init()
  local round = os.getenv("BENCH_ROUND")
  if round then
    round = data.checkout_rounds[tonumber(round)]
    event, token, pool = round.event, round.tokens[id], round.pools[id]
  else
    event, token, pool = data.checkout_event, data.tokens[id], data.checkout_pools[id]
  end
  position, holding = 1, false
end

local function ids()
  local four = {}
  for i = 0, 3 do four[#four + 1] = tostring(pool[position + i] or 0) end
  return '{"seat_ids": [' .. table.concat(four, ", ") .. ']}'
end

function request()
  if holding then
    return post("/api/events/" .. event .. "/reserve/", token, ids())
  end
  return post("/api/events/" .. event .. "/holds/", token, ids())
end

function response(status)
  count(status)
  if not holding and status == 200 then
    holding = true
  else
    if holding and status == 201 then reservations = reservations + 1 end
    position, holding = position + 4, false
  end
end

-- Issue 22: the waiting room of data.event (a fixture of its own). Each thread is a run of customers
-- (data.slices[id], Bearer tokens) taking turns: BENCH_QUEUE=join POSTs .../queue/ (the first pass
-- over a slice joins, later passes join again, which keeps the place), =get asks for one's place.
-- "reservations" counts the 200s.
dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local tokens, position, path, join

function init()
  tokens, position = data.slices[id], 0
  path = "/api/events/" .. data.event .. "/queue/"
  join = os.getenv("BENCH_QUEUE") == "join"
end

function request()
  position = position % #tokens + 1
  if join then
    return post(path, tokens[position])
  end
  return get(path, tokens[position])
end

function response(status)
  count(status)
  if status == 200 then reservations = reservations + 1 end
end

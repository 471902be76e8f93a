-- Issue 21: staff read a box-office page (data.path, e.g. the report) again and again with a staff
-- Bearer token (data.token; a fixture of its own). "reservations" counts the 200s.
dofile(os.getenv("BENCH_LUA") .. "/common.lua")

function request()
  return get(data.path, data.token)
end

function response(status)
  count(status)
  if status == 200 then reservations = reservations + 1 end
end

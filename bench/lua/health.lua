dofile(os.getenv("BENCH_LUA") .. "/common.lua")

function request()
  return get("/api/health/")
end

function response(status)
  count(status)
end

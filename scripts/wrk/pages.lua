-- wrk script for kotaku's load tests (scripts/loadtest.sh runs it).
--
-- Environment:
--   KOTAKU_COOKIE  the Cookie header of a logged-in session ("sessionid=…")
--   KOTAKU_PATHS   one or more paths separated by spaces; each connection rotates over
--                  them (a mixed load), starting at a different one
--
-- Every request says it came over HTTPS (X-Forwarded-Proto), as behind the real proxy,
-- so production settings neither redirect it nor refuse the Secure session cookie.
-- At the end it prints the responses by status class and, with wall-clock times, the
-- first and last server error (5xx) and socket error, for the fault test.

local ffi = require("ffi")
ffi.cdef[[
  typedef struct { long tv_sec; long tv_usec; } kotaku_timeval;
  int gettimeofday(kotaku_timeval *tv, void *tz);
]]
local tv = ffi.new("kotaku_timeval")
local function now()
  ffi.C.gettimeofday(tv, nil)
  return tonumber(tv.tv_sec) + tonumber(tv.tv_usec) / 1e6
end

local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for path in string.gmatch(os.getenv("KOTAKU_PATHS") or "/", "%S+") do
    table.insert(paths, path)
  end
  headers = {
    ["Cookie"] = os.getenv("KOTAKU_COOKIE") or "",
    ["X-Forwarded-Proto"] = "https",
  }
  next_path = id % #paths
  s2, s3, s4, s5 = 0, 0, 0, 0
  first5, last5 = 0, 0
end

function request()
  next_path = next_path % #paths + 1
  return wrk.format("GET", paths[next_path], headers)
end

function response(status, response_headers, body)
  if status >= 500 then
    s5 = s5 + 1
    local t = now()
    if first5 == 0 then first5 = t end
    last5 = t
  elseif status >= 400 then
    s4 = s4 + 1
  elseif status >= 300 then
    s3 = s3 + 1
  else
    s2 = s2 + 1
  end
end

function done(summary, latency, requests)
  local c2, c3, c4, c5, first, last = 0, 0, 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    c2 = c2 + thread:get("s2")
    c3 = c3 + thread:get("s3")
    c4 = c4 + thread:get("s4")
    c5 = c5 + thread:get("s5")
    local f, l = thread:get("first5"), thread:get("last5")
    if f > 0 and (first == 0 or f < first) then first = f end
    if l > last then last = l end
  end
  local e = summary.errors
  io.write(string.format("kotaku requests=%d seconds=%.1f rps=%.1f\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6)))
  io.write(string.format("kotaku latency_ms median=%.1f p90=%.1f p99=%.1f max=%.1f\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("kotaku status 2xx=%d 3xx=%d 4xx=%d 5xx=%d\n", c2, c3, c4, c5))
  io.write(string.format("kotaku socket_errors connect=%d read=%d write=%d timeout=%d\n",
    e.connect, e.read, e.write, e.timeout))
  io.write(string.format("kotaku first_5xx=%.3f last_5xx=%.3f\n", first, last))
end

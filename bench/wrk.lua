-- wrk script driven by bench/run.mjs through environment variables:
--   BENCH_METHOD     GET | POST                       (default GET)
--   BENCH_BODY_FILE  file whose bytes are the request body (POST)
--   BENCH_RATE       aggregate requests/s to offer; unset or 0 = closed loop (as fast as possible)
--   BENCH_THREADS    the -t value, so each thread offers BENCH_RATE / BENCH_THREADS
--   BENCH_TOKENS_FILE  one bearer token per line, sent in turn (one per request) as Authorization
--   BENCH_CHECK      "1" = also install a response() hook that counts every non-2xx status
--                    and every response carrying "Connection: close" (slow: wrk then copies each
--                    response into Lua; used for warm-ups only)
-- done() prints one line "BENCH_JSON {...}" that run.mjs parses. Latencies are microseconds.

local method = os.getenv("BENCH_METHOD") or "GET"
local body_file = os.getenv("BENCH_BODY_FILE")
local rate = tonumber(os.getenv("BENCH_RATE") or "0") or 0
local nthreads = tonumber(os.getenv("BENCH_THREADS") or "1") or 1
local check = os.getenv("BENCH_CHECK") == "1"

wrk.method = method
wrk.headers["Accept"] = "application/json"
if body_file and body_file ~= "" then
  local f = assert(io.open(body_file, "rb"))
  wrk.body = f:read("*a")
  f:close()
  wrk.headers["Content-Type"] = "application/json"
end

-- A different bearer token on every request, in turn: defeats a verified-token cache smaller
-- than the pool, so each request costs a full signature check.
local tokens_file = os.getenv("BENCH_TOKENS_FILE")
if tokens_file and tokens_file ~= "" then
  local tokens = {}
  for line in io.lines(tokens_file) do
    if line ~= "" then tokens[#tokens + 1] = "Bearer " .. line end
  end
  local next_token = 0
  function request()
    next_token = next_token % #tokens + 1
    wrk.headers["Authorization"] = tokens[next_token]
    return wrk.format()
  end
end

-- Open-loop pacing: one schedule per thread (each wrk thread has its own Lua state). Every
-- request takes the next slot of the schedule, whichever connection sends it, so the thread's
-- aggregate rate is rate/nthreads regardless of latency, as long as enough connections are idle.
-- wrk's delay() is in whole milliseconds, so a request may leave up to 1 ms before its slot;
-- slots never run ahead, so the average rate is exact. A backlog (SUT stalled) is caught up,
-- but never more than MAX_BACKLOG_MS worth, so a stall cannot turn into an unbounded burst.
if rate > 0 then
  local ffi = require("ffi")
  ffi.cdef[[
    typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
    int clock_gettime(int clk_id, bench_timespec *tp);
  ]]
  local ts = ffi.new("bench_timespec")
  local CLOCK_MONOTONIC = 1
  local function now_ms()
    ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
    return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
  end
  local interval_ms = 1000 * nthreads / rate
  local MAX_BACKLOG_MS = 20
  local next_slot = nil

  function delay()
    local now = now_ms()
    if next_slot == nil or next_slot < now - MAX_BACKLOG_MS then
      next_slot = now
    end
    local wait = next_slot - now
    next_slot = next_slot + interval_ms
    if wait <= 0 then return 0 end
    return math.floor(wait)
  end
end

-- Thread bookkeeping, so done() (which runs in the main Lua state) can read per-thread counters.
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

if check then
  non2xx = 0
  closes = 0
  first_bad = ""
  function response(status, headers, body)
    for name, value in pairs(headers) do
      if string.lower(name) == "connection" and string.find(string.lower(value), "close", 1, true) then
        closes = closes + 1
      end
    end
    if status < 200 or status > 299 then
      non2xx = non2xx + 1
      if first_bad == "" then
        first_bad = tostring(status) .. " " .. string.sub(body or "", 1, 200)
      end
    end
  end
end

local function jstr(s)
  s = string.gsub(s, '[%c"\\]', function(c) return string.format("\\u%04x", string.byte(c)) end)
  return '"' .. s .. '"'
end

function done(summary, latency, requests)
  local bad, first, closed = 0, "", 0
  if check then
    for _, t in ipairs(threads) do
      bad = bad + (tonumber(t:get("non2xx")) or 0)
      closed = closed + (tonumber(t:get("closes")) or 0)
      local fb = t:get("first_bad")
      if first == "" and fb and fb ~= "" then first = fb end
    end
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"duration_us":%d,"requests":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"checked":%s,"non2xx":%d,"conn_close":%d,"first_bad":%s,' ..
    '"latency_us":{"min":%d,"mean":%.1f,"stdev":%.1f,"max":%d,"p50":%d,"p90":%d,"p99":%d,"p999":%d},' ..
    '"target_rate":%.3f}\n',
    summary.duration, summary.requests, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    tostring(check), bad, closed, jstr(first),
    latency.min, latency.mean, latency.stdev, latency.max,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
    rate))
end

-- wrk 4 script used by bench/build.ts: counts the responses that are not 304 Not Modified and
-- prints one line of JSON with the latency percentiles in microseconds, so build.ts reads exact
-- numbers instead of wrk's rounded, unit-suffixed text. wrk runs done() also when it is stopped
-- with SIGINT, which is how build.ts ends a load at the moment a rebuild answers.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  not_304 = 0
end

function response(status, headers, body)
  if status ~= 304 then
    not_304 = not_304 + 1
  end
end

function done(summary, latency, requests)
  local other = 0
  for _, thread in ipairs(threads) do
    other = other + thread:get("not_304")
  end
  local errors = summary.errors
  io.write(string.format(
    'wrk-report {"requests":%d,"durationUs":%d,"p50Us":%d,"p99Us":%d,"maxUs":%d,"not304":%d,"socketErrors":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max, other,
    errors.connect + errors.read + errors.write + errors.timeout))
end

-- wrk: Add Account, each request a new account with its own owner email. Every
-- thread numbers its own, so no two requests collide.
-- `thread_id` is a global: wrk sets it in each thread's own state from setup().
thread_id = 0
local counter = 0
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("thread_id", threads)
end

function request()
  counter = counter + 1
  local tag = os.getenv("BENCH_TAG") .. "-" .. thread_id .. "-" .. counter
  local body = "admin_name=Bench+Owner&name=Bench+" .. tag ..
    "&admin_email=owner-" .. tag .. "%40bench.example&admin_phone=%2B1+555+0100&website_url=&reference_id="
  return wrk.format("POST", "/api/create_account", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = os.getenv("BENCH_COOKIE"),
    ["Origin"] = os.getenv("BENCH_ORIGIN"),
    ["Accept"] = "application/json",
  }, body)
end

-- Count answers that are not 200: a benchmark of refusals would be no benchmark.
local failures = 0
function response(status, headers, body)
  if status ~= 200 then
    failures = failures + 1
    if failures <= 3 then
      io.stderr:write("create_account answered " .. status .. ": " .. body:sub(1, 200) .. "\n")
    end
  end
end

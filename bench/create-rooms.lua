-- wrk script: one logged-in user creating rooms as fast as it can (a new name each time).
-- The session cookie comes from the environment: COOKIE="meet_sessionid=…".
local counter = 0
local cookie = os.getenv("COOKIE")

request = function()
  counter = counter + 1
  local body = string.format('{"name":"flood %d-%d"}', math.random(1, 1000000000), counter)
  return wrk.format("POST", "/api/v1.0/rooms/", {
    ["Content-Type"] = "application/json",
    ["Cookie"] = cookie,
  }, body)
end

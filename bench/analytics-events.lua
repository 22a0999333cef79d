-- wrk script: participants' browsers reporting one product event each (POST
-- /api/v1.0/analytics/events/), each request with the next of the guests' LiveKit tokens listed
-- one per line in the file TOKENS names (so that no participant's batch limit is reached).
local tokens = {}
for line in io.lines(os.getenv("TOKENS")) do
  tokens[#tokens + 1] = line
end
local counter = 0
local body = '{"meeting":"RM_BenchSession","events":[{"event":"chat_message_sent"}]}'

request = function()
  counter = counter + 1
  local token = tokens[(counter % #tokens) + 1]
  return wrk.format("POST", "/api/v1.0/analytics/events/", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token,
  }, body)
end

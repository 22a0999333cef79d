-- wrk script: every request opens the page of a meeting code never asked for before (an
-- unregistered meeting), so that each page is rendered, none answered from memory.
local letters = "abcdefghijklmnopqrstuvwxyz0123456789"
local counter = 0

local function group(size)
  local chars = {}
  for i = 1, size do
    local at = math.random(1, #letters)
    chars[i] = letters:sub(at, at)
  end
  return table.concat(chars)
end

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

function init()
  math.randomseed(os.time() * 100 + id)
end

request = function()
  return wrk.format("GET", "/" .. group(3) .. "-" .. group(4) .. "-" .. group(3))
end

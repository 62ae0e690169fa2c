-- One atomic sync of a fleet breaker with the store (see docs/distributed.md).
-- KEYS[1]: the state hash; KEYS[2]: the counts hash of the state's epoch.
-- ARGV[1]: the caller's epoch; ARGV[2]: key TTL in ms; ARGV[3]: most count fields kept;
-- ARGV[4..7]: the caller's state at that epoch (phase rank, a, b, openings);
-- ARGV[8]: '1' to compare-and-set from the caller's epoch to ARGV[9..13] (epoch, phase
-- rank, a, b, openings), else '0'; ARGV[14]: 0, or the fleet's most outstanding probes
-- to ask for one probe, counted as issued in field ARGV[15] if granted; ARGV[16..]: the
-- caller's count fields and values.
-- Answers {'invalid', why} without writing, or
-- {'ok', seconds, microseconds, swapped, state fields, count fields, granted}.
for _, key in ipairs(KEYS) do
  local t = redis.call('TYPE', key)
  t = t['ok'] or t
  if t ~= 'hash' and t ~= 'none' then return {'invalid', 'type'} end
end
local stored = redis.call('HMGET', KEYS[1], 'epoch', 'phase', 'a', 'b', 'openings')
local epoch, state = 0, {0, 0, 0, 0}
if stored[1] then
  epoch = tonumber(stored[1])
  if epoch == nil then return {'invalid', 'epoch'} end
  for i = 2, 5 do
    state[i - 1] = tonumber(stored[i] or '0')
    if state[i - 1] == nil then return {'invalid', 'state'} end
  end
end
if redis.call('HLEN', KEYS[2]) > tonumber(ARGV[3]) then return {'invalid', 'oversized'} end
local mine_epoch = tonumber(ARGV[1])
-- The register's join: the higher epoch, then (phase rank, a, b, openings).
local function greater()
  if mine_epoch ~= epoch then return mine_epoch > epoch end
  for i = 1, 4 do
    local m = tonumber(ARGV[3 + i])
    if m ~= state[i] then return m > state[i] end
  end
  return false
end
if greater() then
  if mine_epoch ~= epoch then redis.call('DEL', KEYS[2]) end
  redis.call('HSET', KEYS[1], 'epoch', ARGV[1], 'phase', ARGV[4], 'a', ARGV[5],
    'b', ARGV[6], 'openings', ARGV[7])
  epoch = mine_epoch
end
if epoch == mine_epoch then
  for i = 16, #ARGV, 2 do
    local mine = tonumber(ARGV[i + 1])
    local theirs = tonumber(redis.call('HGET', KEYS[2], ARGV[i]) or '0') or 0
    if mine and mine > theirs then redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
  end
end
-- A probe, checked and counted in one step: the limit holds fleet-wide.
local granted = 0
local most = tonumber(ARGV[14]) or 0
if most > 0 and ARGV[8] ~= '1' and epoch == mine_epoch
    and tonumber(redis.call('HGET', KEYS[1], 'phase') or '0') == 1 then
  local fields = redis.call('HGETALL', KEYS[2])
  local issued, reported = 0, 0
  for i = 1, #fields, 2 do
    local n = tonumber(fields[i + 1]) or 0
    local kind = string.sub(fields[i], -2)
    if kind == ':i' then issued = issued + n elseif kind == ':r' then reported = reported + n end
  end
  if issued - reported < most then
    local mine = tonumber(redis.call('HGET', KEYS[2], ARGV[15]) or '0') or 0
    redis.call('HSET', KEYS[2], ARGV[15], mine + 1)
    granted = 1
  end
end
local swapped = 0
if ARGV[8] == '1' and epoch == mine_epoch then
  redis.call('DEL', KEYS[2])
  redis.call('HSET', KEYS[1], 'epoch', ARGV[9], 'phase', ARGV[10], 'a', ARGV[11],
    'b', ARGV[12], 'openings', ARGV[13])
  epoch = tonumber(ARGV[9])
  swapped = 1
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[2]) end
local now = redis.call('TIME')
return {'ok', now[1], now[2], swapped, redis.call('HGETALL', KEYS[1]),
  redis.call('HGETALL', KEYS[2]), granted}

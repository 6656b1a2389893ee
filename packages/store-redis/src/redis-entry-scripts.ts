/**
 * Lua scripts for the entry store: each runs atomically on the server, so an entry, its tag
 * and scope sets and its recency never disagree, whatever other processes do meanwhile.
 * Every script gets the key prefix as ARGV[1]; tag sets are `{prefix}t:{tag}`, scope sets
 * `{prefix}s:{scopeKey}`.
 */

/** Removes one entry and its memberships; tolerates an entry whose tags are unreadable. */
const REMOVE_ENTRY = `
local function removeEntry(p, key)
  local ek = p .. 'e:' .. key
  local meta = redis.call('HMGET', ek, 'tags', 'scopeKey')
  if meta[1] then
    local ok, tags = pcall(cjson.decode, meta[1])
    if ok and type(tags) == 'table' then
      for _, tag in ipairs(tags) do redis.call('SREM', p .. 't:' .. tostring(tag), key) end
    end
  end
  if meta[2] then redis.call('SREM', p .. 's:' .. meta[2], key) end
  redis.call('DEL', ek)
  redis.call('ZREM', p .. 'lru', key)
  redis.call('ZREM', p .. 'exp', key)
end
`;

/**
 * ARGV: prefix, key, partition, scopeKey, payload, tags (JSON), createdAt, expiresAt ('' for
 * none), size, maxEntries, now. Returns the keys evicted to stay within maxEntries.
 */
export const SET_ENTRY_SCRIPT = `${REMOVE_ENTRY}
local p, key = ARGV[1], ARGV[2]
removeEntry(p, key)
local ek = p .. 'e:' .. key
redis.call('HSET', ek, 'partition', ARGV[3], 'scopeKey', ARGV[4], 'payload', ARGV[5], 'tags', ARGV[6],
  'createdAt', ARGV[7], 'expiresAt', ARGV[8], 'size', ARGV[9])
if ARGV[8] ~= '' then
  redis.call('PEXPIREAT', ek, ARGV[8])
  redis.call('ZADD', p .. 'exp', ARGV[8], key)
end
for _, tag in ipairs(cjson.decode(ARGV[6])) do redis.call('SADD', p .. 't:' .. tag, key) end
redis.call('SADD', p .. 's:' .. ARGV[4], key)
redis.call('ZADD', p .. 'lru', ARGV[11], key)
local evicted = {}
local over = redis.call('ZCARD', p .. 'lru') - tonumber(ARGV[10])
if over > 0 then
  for _, old in ipairs(redis.call('ZRANGE', p .. 'lru', 0, over)) do
    if old ~= key and #evicted < over then
      removeEntry(p, old)
      table.insert(evicted, old)
    end
  end
end
return evicted
`;

/** ARGV: prefix, key, key, ... */
export const DELETE_ENTRIES_SCRIPT = `${REMOVE_ENTRY}
for index = 2, #ARGV do removeEntry(ARGV[1], ARGV[index]) end
return #ARGV - 1
`;

/** ARGV: prefix, now. Removes and returns the keys of entries expired by now. */
export const PURGE_EXPIRED_SCRIPT = `${REMOVE_ENTRY}
local expired = redis.call('ZRANGEBYSCORE', ARGV[1] .. 'exp', '-inf', ARGV[2])
for _, key in ipairs(expired) do removeEntry(ARGV[1], key) end
return expired
`;

/**
 * ARGV: prefix, set key. The members whose entry still exists; members whose entry Redis
 * already expired are dropped from the set on the way.
 */
export const LIVE_MEMBERS_SCRIPT = `
local p, set = ARGV[1], ARGV[2]
local live = {}
for _, key in ipairs(redis.call('SMEMBERS', set)) do
  if redis.call('EXISTS', p .. 'e:' .. key) == 1 then table.insert(live, key)
  else redis.call('SREM', set, key) end
end
return live
`;

/** ARGV: prefix, key, now. Marks an existing entry as used now. */
export const TOUCH_SCRIPT = `
if redis.call('EXISTS', ARGV[1] .. 'e:' .. ARGV[2]) == 1 then
  redis.call('ZADD', ARGV[1] .. 'lru', ARGV[3], ARGV[2])
end
return 0
`;

/**
 * Lua scripts for the shared vector index. Each change is numbered (`vec-seq`) and appended to
 * a stream every process reads, so a reader can tell when it missed changes (the stream is
 * trimmed) and reload from the `vec` hash, which always holds every vector.
 */

/**
 * ARGV: prefix, key, partition, base64 vector, dimensions, stream max length. Refuses (returns
 * the partition's dimensions) a vector whose dimensions differ from the partition's first one.
 */
export const ADD_VECTOR_SCRIPT = `
local p = ARGV[1]
local known = redis.call('HGET', p .. 'vec-dim', ARGV[3])
if known and known ~= ARGV[5] then return tonumber(known) end
redis.call('HSET', p .. 'vec-dim', ARGV[3], ARGV[5])
local seq = redis.call('INCR', p .. 'vec-seq')
redis.call('HSET', p .. 'vec', ARGV[2], cjson.encode({ARGV[3], ARGV[4]}))
redis.call('XADD', p .. 'vec-log', 'MAXLEN', '~', ARGV[6], '*', 'seq', seq, 'op', 'add',
  'key', ARGV[2], 'partition', ARGV[3], 'vector', ARGV[4])
return 0
`;

/** ARGV: prefix, stream max length, key, key, ... */
export const DELETE_VECTORS_SCRIPT = `
local p = ARGV[1]
local keys = {}
for index = 3, #ARGV do
  redis.call('HDEL', p .. 'vec', ARGV[index])
  table.insert(keys, ARGV[index])
end
local seq = redis.call('INCR', p .. 'vec-seq')
redis.call('XADD', p .. 'vec-log', 'MAXLEN', '~', ARGV[2], '*', 'seq', seq, 'op', 'delete',
  'keys', cjson.encode(keys))
return seq
`;

/**
 * The window logic, run atomically inside Redis. Time comes from Redis (`TIME`), never from the
 * machines, so clocks that disagree cannot let two processes both see a free slot. Every time is in
 * Redis milliseconds (with microseconds as the fraction); a slot is a member of a sorted set scored by
 * the moment it stops counting, so pruning the window is one ZREMRANGEBYSCORE.
 */
import { createHash } from "node:crypto";

export interface LuaScript {
  readonly source: string;
  readonly sha: string;
}

function lua(source: string): LuaScript {
  return { source, sha: createHash("sha1").update(source).digest("hex") };
}

const NOW = `
if redis.replicate_commands then redis.replicate_commands() end
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + tonumber(clock[2]) / 1000
`;

/**
 * Grants up to #ARGV - 3 slots, in the order given, while the window has room and no pause is on.
 * KEYS: in-flight, finished, pause. ARGV: requests, periodMs, leaseMs, member ids.
 * Returns {granted, waitMs, known}. When some ids were not granted, waitMs says when to look again:
 * known = 1 when that is when the next slot frees (or the pause ends); known = 0 when every slot is
 * held by a request still in flight, so only a release can tell (waitMs is then when the first lease
 * runs out).
 */
export const ACQUIRE = lua(`${NOW}
local requests = tonumber(ARGV[1])
local period = tonumber(ARGV[2])
local lease = tonumber(ARGV[3])
local wanted = #ARGV - 3
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
local used = redis.call('ZCARD', KEYS[1]) + redis.call('ZCARD', KEYS[2])
local paused = tonumber(redis.call('GET', KEYS[3]) or '0') - now
local granted = 0
if paused <= 0 and used < requests then
  granted = math.min(requests - used, wanted)
  -- A holder that crashed never releases: its slot lapses when the lease runs out, plus one period,
  -- since its request may have reached the server just before.
  local lapses = now + lease + period
  for i = 1, granted do
    redis.call('ZADD', KEYS[1], lapses, ARGV[3 + i])
  end
  local ttl = math.ceil(lease + period) + 1000
  if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
  used = used + granted
end
if granted == wanted then return {granted, 0, 1} end
local wait, known
local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
if used < requests then
  wait, known = paused, 1
elseif #first > 0 then
  wait, known = math.max(paused, tonumber(first[2]) - now), 1
else
  local lapse = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  wait, known = math.max(paused, tonumber(lapse[2]) - now), 0
end
return {granted, math.ceil(wait), known}
`);

/**
 * The response arrived: the slot moves to the finished set and counts one more period from now (the
 * server counted the request at the latest now). Re-added even if its lease had lapsed: it was sent.
 * KEYS: in-flight, finished. ARGV: periodMs, member id.
 */
export const RELEASE = lua(`${NOW}
local period = tonumber(ARGV[1])
redis.call('ZREM', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[2], now + period, ARGV[2])
local ttl = math.ceil(period) + 1000
if redis.call('PTTL', KEYS[2]) < ttl then redis.call('PEXPIRE', KEYS[2], ttl) end
return 1
`);

/** Grants nobody used (the caller aborted while Redis answered): nothing was sent, so they vanish. KEYS: in-flight. ARGV: member ids. */
export const CANCEL = lua(`return redis.call('ZREM', KEYS[1], unpack(ARGV))`);

/** The server asked everyone to wait: nothing is granted before now + ARGV[1] ms (a longer pause already set stays). KEYS: pause. */
export const PAUSE = lua(`${NOW}
local ms = tonumber(ARGV[1])
local pauseEnds = now + ms
if pauseEnds > tonumber(redis.call('GET', KEYS[1]) or '0') then
  redis.call('SET', KEYS[1], string.format('%.3f', pauseEnds), 'PX', math.ceil(ms))
end
return 1
`);

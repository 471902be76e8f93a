"""Where a queue's state lives: Redis when ``REDIS_URL`` is set (shared by every worker and node),
otherwise the database. Never one process's memory. Both stores keep the same state and follow the
same rules, and the same tests run against both (``waitingroom/tests``):

- Before the draw, joiners wait in a lobby, in order of arrival, without a place.
- The draw happens in the first store operation at or after ``onsale_at`` (join, read, admission
  step): the lobby gets places 1..N in ascending order of ``SHA-1("<seed>:<user id>")`` (hex), the
  seed being 128 random bits (``secrets``) drawn then and kept with the queue. As the seed is unknown
  before the on-sale, that order is a uniform random permutation; with the seed, anyone can check it.
- Later joiners get the next place (N+1, N+2, ...) in order of arrival.
- An admission step admits the next places in order, as many as all of these allow: ``per_minute``
  minus the admissions of the last 60 s (a log: never more than ``per_minute`` in any minute),
  ``max_active`` minus the admissions still running, the places waiting, and the pace (credit
  accrues at ``per_minute / 60`` a second, at most one second's worth or one admission, so a minute's
  admissions are spread over the minute rather than let in at its start).
- Each step is atomic: a Lua script in Redis, a transaction holding the queue's row lock in the
  database. Any number of admitters on any number of nodes can run at once.
- An admission is the customer's until ``until`` (``QUEUE_ADMISSION_SECONDS``) or until they reserve;
  its slot is free again at once. A customer whose admission ended who joins again queues at the end.
"""

import math
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from hashlib import sha1

import redis
from django.conf import settings
from django.db import transaction

from .models import Admission, Queue, QueueEntry

MINUTE = timedelta(seconds=60)


@dataclass(frozen=True)
class Standing:
    """One customer's standing in a queue: their place (None before the draw), the places admitted
    so far, their admission's end if they have one, and the queue's admission figures."""

    place: int | None
    serving: int
    admitted_until: datetime | None
    active: int
    admitted_last_minute: int


@dataclass(frozen=True)
class Stats:
    waiting: int
    admitted: int
    admitted_last_minute: int
    served: int
    seed: str
    drawn_at: datetime | None


def new_seed() -> str:
    return secrets.token_hex(16)


def draw_order(seed: str, user_ids: list[int]) -> list[int]:
    """The lobby in the order of its places: the documented permutation (see the module)."""
    return sorted(user_ids, key=lambda user_id: sha1(f"{seed}:{user_id}".encode()).hexdigest())


def pace_credit(credit_at: datetime | None, now: datetime, per_minute: int) -> tuple[datetime, int]:
    """The pace's clock brought forward to at most one second's (or one admission's) credit, and how
    many admissions that credit allows now."""
    interval = 60 / per_minute
    floor = now - timedelta(seconds=max(1.0, interval))
    credit_at = max(credit_at or floor, floor)
    return credit_at, math.floor((now - credit_at).total_seconds() / interval + 1e-9)


class DatabaseStore:
    """The queue in the database: every operation locks the event's ``Queue`` row."""

    def _locked(self, event_id: int) -> Queue:
        Queue.objects.get_or_create(event_id=event_id)
        return Queue.objects.select_for_update().get(event_id=event_id)

    def _draw_if_due(self, queue: Queue, onsale_at: datetime | None, now: datetime) -> None:
        if queue.drawn_at is not None or (onsale_at is not None and now < onsale_at):
            return
        queue.seed, queue.drawn_at = new_seed(), now
        lobby = QueueEntry.objects.filter(event_id=queue.event_id, place__isnull=True)
        entries = {entry.user_id: entry for entry in lobby}
        for place, user_id in enumerate(draw_order(queue.seed, list(entries)), start=1):
            entries[user_id].place = place
        QueueEntry.objects.bulk_update(entries.values(), ["place"], batch_size=1000)
        queue.tail = len(entries)
        queue.save(update_fields=["seed", "drawn_at", "tail"])

    def _standing(self, queue: Queue, user_id: int, now: datetime) -> Standing | None:
        entry = QueueEntry.objects.filter(event_id=queue.event_id, user_id=user_id).first()
        if entry is None:
            return None
        admissions = Admission.objects.filter(event_id=queue.event_id)
        last = admissions.filter(user_id=user_id).order_by("-until").values_list("until", flat=True).first()
        return Standing(
            place=entry.place,
            serving=queue.serving,
            admitted_until=last,
            active=admissions.filter(until__gt=now).count(),
            admitted_last_minute=admissions.filter(admitted_at__gt=now - MINUTE).count(),
        )

    def join(self, *, event_id: int, user_id: int, onsale_at: datetime | None, now: datetime) -> Standing:
        with transaction.atomic():
            queue = self._locked(event_id)
            self._draw_if_due(queue, onsale_at, now)
            entry = QueueEntry.objects.filter(event_id=event_id, user_id=user_id).first()
            if entry is not None and entry.place is not None and entry.place <= queue.serving:
                running = Admission.objects.filter(event_id=event_id, user_id=user_id, until__gt=now)
                if not running.exists():  # their admission ended: to the back of the queue
                    queue.tail += 1
                    entry.place, entry.joined_at = queue.tail, now
                    entry.save(update_fields=["place", "joined_at"])
                    queue.save(update_fields=["tail"])
            elif entry is None:
                entry = QueueEntry(event_id=event_id, user_id=user_id, joined_at=now)
                if queue.drawn_at is None:
                    queue.arrivals += 1
                    entry.arrival = queue.arrivals
                    queue.save(update_fields=["arrivals"])
                else:
                    queue.tail += 1
                    entry.place = queue.tail
                    queue.save(update_fields=["tail"])
                entry.save()
            return self._standing(queue, user_id, now)

    def standing(self, *, event_id: int, user_id: int, onsale_at: datetime | None, now: datetime):
        if not QueueEntry.objects.filter(event_id=event_id, user_id=user_id).exists():
            return None
        with transaction.atomic():
            queue = self._locked(event_id)
            self._draw_if_due(queue, onsale_at, now)
            return self._standing(queue, user_id, now)

    def admit(
        self, *, event_id: int, onsale_at: datetime | None, now: datetime, per_minute: int, max_active: int
    ) -> int:
        with transaction.atomic():
            queue = self._locked(event_id)
            self._draw_if_due(queue, onsale_at, now)
            if queue.drawn_at is None:
                return 0
            now = max(now, queue.clock or now)  # nodes' clocks differ a little: time never goes back
            admissions = Admission.objects.filter(event_id=event_id)
            credit_at, paced = pace_credit(queue.credit_at, now, per_minute)
            count = min(
                per_minute - admissions.filter(admitted_at__gt=now - MINUTE).count(),
                max_active - admissions.filter(until__gt=now).count(),
                queue.tail - queue.serving,
                paced,
            )
            queue.clock = now
            if count > 0:
                until = now + timedelta(seconds=settings.QUEUE_ADMISSION_SECONDS)
                places = QueueEntry.objects.filter(
                    event_id=event_id, place__gt=queue.serving, place__lte=queue.serving + count
                ).values_list("user_id", "place")
                Admission.objects.bulk_create(
                    Admission(event_id=event_id, user_id=user_id, place=place, admitted_at=now, until=until)
                    for user_id, place in places
                )
                queue.serving += count
                queue.credit_at = credit_at + timedelta(seconds=count * 60 / per_minute)
            queue.save(update_fields=["clock", "serving", "credit_at"])
            return max(count, 0)

    def admitted_until(self, *, event_id: int, user_id: int, now: datetime) -> datetime | None:
        return (
            Admission.objects.filter(event_id=event_id, user_id=user_id, until__gt=now)
            .values_list("until", flat=True)
            .first()
        )

    def end_admission(self, *, event_id: int, user_id: int, now: datetime) -> None:
        Admission.objects.filter(event_id=event_id, user_id=user_id, until__gt=now).update(until=now)

    def stats(self, *, event_id: int, onsale_at: datetime | None, now: datetime) -> Stats:
        queue = Queue.objects.filter(event_id=event_id).first() or Queue(event_id=event_id)
        admissions = Admission.objects.filter(event_id=event_id)
        waiting = queue.tail - queue.serving if queue.drawn_at else queue.arrivals
        return Stats(
            waiting=waiting,
            admitted=admissions.filter(until__gt=now).count(),
            admitted_last_minute=admissions.filter(admitted_at__gt=now - MINUTE).count(),
            served=queue.serving,
            seed=queue.seed,
            drawn_at=queue.drawn_at,
        )

    def clear(self, *, event_id: int) -> None:
        for model in (Admission, QueueEntry, Queue):
            model.objects.filter(event_id=event_id).delete()


# --- Redis ---------------------------------------------------------------------------------------------
# Keys of one event, all with the same hash tag (one slot in a Redis Cluster):
#   meta   hash: drawn (ms), seed, tail, serving, arrivals, credit_at (ms), clock (ms)
#   lobby  zset: user id -> arrival (before the draw)
#   places zset: user id -> place
#   active zset: user id -> the admission's end (ms)
#   log    zset: place -> admission time (ms), the last minute's admissions
# Times are integer milliseconds since the epoch, passed in by the caller (a controlled clock).

_PROLOGUE = """
local meta, lobby, places, active, log = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local now, onsale, seed = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
local function num(value) return tonumber(value or '0') end
local function draw_if_due()
  if redis.call('HEXISTS', meta, 'drawn') == 1 or now < onsale then return end
  local keyed = {}
  for i, user in ipairs(redis.call('ZRANGE', lobby, 0, -1)) do
    keyed[i] = {redis.sha1hex(seed .. ':' .. user), user}
  end
  table.sort(keyed, function(a, b) return a[1] < b[1] end)
  local batch = {}
  for place, pair in ipairs(keyed) do
    batch[#batch + 1] = place
    batch[#batch + 1] = pair[2]
    if #batch >= 2000 then redis.call('ZADD', places, unpack(batch)); batch = {} end
  end
  if #batch > 0 then redis.call('ZADD', places, unpack(batch)) end
  redis.call('HSET', meta, 'drawn', now, 'seed', seed, 'tail', #keyed)
  redis.call('DEL', lobby)
end
local function standing(user)
  local place = redis.call('ZSCORE', places, user)
  local in_lobby = redis.call('ZSCORE', lobby, user)
  if not place and not in_lobby then return false end
  return {place or false, num(redis.call('HGET', meta, 'serving')),
          redis.call('ZSCORE', active, user) or false,
          redis.call('ZCOUNT', active, '(' .. now, '+inf'),
          redis.call('ZCOUNT', log, '(' .. (now - 60000), '+inf')}
end
draw_if_due()
"""

_JOIN = (
    _PROLOGUE
    + """
local user = ARGV[4]
local place = redis.call('ZSCORE', places, user)
local queued_again = false
if place and tonumber(place) <= num(redis.call('HGET', meta, 'serving')) then
  queued_again = num(redis.call('ZSCORE', active, user)) <= now  -- their admission ended
end
if (not place and redis.call('HEXISTS', meta, 'drawn') == 1) or queued_again then
  redis.call('ZADD', places, redis.call('HINCRBY', meta, 'tail', 1), user)
elseif not place and not redis.call('ZSCORE', lobby, user) then
  redis.call('ZADD', lobby, redis.call('HINCRBY', meta, 'arrivals', 1), user)
end
return standing(user)
"""
)

_STANDING = _PROLOGUE + "return standing(ARGV[4])"

_ADMIT = (
    _PROLOGUE
    + """
if redis.call('HEXISTS', meta, 'drawn') == 0 then return 0 end
local per_minute, max_active, seconds = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
now = math.max(now, num(redis.call('HGET', meta, 'clock')))
redis.call('HSET', meta, 'clock', now)
redis.call('ZREMRANGEBYSCORE', active, '-inf', now)
redis.call('ZREMRANGEBYSCORE', log, '-inf', now - 60000)
local serving, tail = num(redis.call('HGET', meta, 'serving')), num(redis.call('HGET', meta, 'tail'))
local interval = 60000 / per_minute
local floor = now - math.max(1000, interval)
local credit_at = math.max(num(redis.call('HGET', meta, 'credit_at')), floor)
local count = math.min(per_minute - redis.call('ZCARD', log), max_active - redis.call('ZCARD', active),
                       tail - serving, math.floor((now - credit_at) / interval + 1e-9))
if count <= 0 then return 0 end
for i, user in ipairs(redis.call('ZRANGEBYSCORE', places, serving + 1, serving + count)) do
  redis.call('ZADD', active, now + seconds, user)
  redis.call('ZADD', log, now, serving + i)
end
redis.call('HSET', meta, 'serving', serving + count, 'credit_at', math.floor(credit_at + count * interval))
return count
"""
)

_STATS = (
    _PROLOGUE
    + """
local drawn = redis.call('HGET', meta, 'drawn')
local served = num(redis.call('HGET', meta, 'serving'))
local waiting = drawn and (num(redis.call('HGET', meta, 'tail')) - served) or redis.call('ZCARD', lobby)
return {waiting, redis.call('ZCOUNT', active, '(' .. now, '+inf'),
        redis.call('ZCOUNT', log, '(' .. (now - 60000), '+inf'), served,
        redis.call('HGET', meta, 'seed') or '', drawn or false}
"""
)


def _ms(moment: datetime | None) -> int:
    return -1 if moment is None else int(moment.timestamp() * 1000)


def _from_ms(value) -> datetime:
    return datetime.fromtimestamp(int(float(value)) / 1000, tz=UTC)


class RedisStore:
    """The queue in Redis: each operation is one Lua script, atomic however many nodes call it."""

    def __init__(self, url: str):
        self.redis = redis.Redis.from_url(url)  # one pool per process; a forked child starts its own
        self._join, self._standing, self._admit, self._stats = (
            self.redis.register_script(source) for source in (_JOIN, _STANDING, _ADMIT, _STATS)
        )

    @staticmethod
    def _keys(event_id: int) -> list[str]:
        return [f"waitingroom:{{{event_id}}}:{name}" for name in ("meta", "lobby", "places", "active", "log")]

    def _run(self, script, event_id: int, onsale_at: datetime | None, now: datetime, *args):
        return script(keys=self._keys(event_id), args=[_ms(now), _ms(onsale_at), new_seed(), *args])

    @staticmethod
    def _as_standing(found) -> Standing | None:
        if not found:
            return None
        place, serving, until, active, minute = found
        return Standing(
            place=int(float(place)) if place else None,
            serving=int(serving),
            admitted_until=_from_ms(until) if until else None,
            active=int(active),
            admitted_last_minute=int(minute),
        )

    def join(self, *, event_id: int, user_id: int, onsale_at: datetime | None, now: datetime) -> Standing:
        return self._as_standing(self._run(self._join, event_id, onsale_at, now, user_id))

    def standing(self, *, event_id: int, user_id: int, onsale_at: datetime | None, now: datetime):
        return self._as_standing(self._run(self._standing, event_id, onsale_at, now, user_id))

    def admit(
        self, *, event_id: int, onsale_at: datetime | None, now: datetime, per_minute: int, max_active: int
    ) -> int:
        seconds = settings.QUEUE_ADMISSION_SECONDS * 1000
        return int(self._run(self._admit, event_id, onsale_at, now, per_minute, max_active, seconds))

    def admitted_until(self, *, event_id: int, user_id: int, now: datetime) -> datetime | None:
        until = self.redis.zscore(self._keys(event_id)[3], user_id)
        return _from_ms(until) if until is not None and until > _ms(now) else None

    def end_admission(self, *, event_id: int, user_id: int, now: datetime) -> None:
        # Only an admission still running is cut short (XX: nobody is added; LT: never lengthened).
        self.redis.zadd(self._keys(event_id)[3], {user_id: _ms(now)}, xx=True, lt=True)

    def stats(self, *, event_id: int, onsale_at: datetime | None, now: datetime) -> Stats:
        waiting, admitted, minute, served, seed, drawn = self._run(self._stats, event_id, onsale_at, now)
        return Stats(
            waiting=int(waiting),
            admitted=int(admitted),
            admitted_last_minute=int(minute),
            served=int(served),
            seed=seed.decode() if isinstance(seed, bytes) else seed,
            drawn_at=_from_ms(drawn) if drawn else None,
        )

    def clear(self, *, event_id: int) -> None:
        self.redis.delete(*self._keys(event_id))


def store() -> DatabaseStore | RedisStore:
    """The store of this deployment: Redis when ``REDIS_URL`` is set, else the database."""
    return _redis_store(settings.REDIS_URL) if settings.REDIS_URL else DatabaseStore()


@cache
def _redis_store(url: str) -> RedisStore:
    return RedisStore(url)

"""The two stores: what guards the portal in the database, pages in Redis.

`SharedStore` (the default cache, a table in the database) keeps what must neither be pushed
out by pages nor forgotten while Redis is away: allauth's rate limits and the TOTP codes
already used, the meeting book's build locks and the content generation. Every process and
instance shares it, and it is there whenever the portal can work at all.

Pages and their parts use `RedisFailOpen`: while Redis is down nothing is kept and every page is
rendered, because a page kept in one process could not be invalidated by an edit made through
another.
"""

import logging
import time

from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.db import connections
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# After a failure, Redis is tried again after this many seconds; meanwhile no request waits for
# its timeouts.
RETRY_SECONDS = 30
_unavailable_until = 0.0

METHODS = (
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "has_key",
    "incr",
    "set_many",
    "delete_many",
    "clear",
)


def _with_stand_in(name):
    redis_method = getattr(RedisCache, name)

    def method(self, *args, **kwargs):
        global _unavailable_until
        if time.monotonic() >= _unavailable_until:
            try:
                return redis_method(self, *args, **kwargs)
            except (RedisError, OSError) as error:
                _unavailable_until = time.monotonic() + RETRY_SECONDS
                logger.error("Redis unavailable for the next %s s: %s", RETRY_SECONDS, error)
        return getattr(self.stand_in, name)(*args, **kwargs)

    method.__name__ = name
    return method


class _OneClientPerPool(RedisCacheClient):
    """Django makes a new redis-py client for every cache call, and redis-py fills a table of
    about 170 reply handlers for each: 0.6 ms, most of the time a stored page takes. A client
    holds no state of its own beyond its pool and is safe to share between threads."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class _StandIn(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _OneClientPerPool

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name in METHODS:
            setattr(cls, name, _with_stand_in(name))


class _Nothing:
    """A cache that keeps nothing: every read misses."""

    def get(self, key, default=None, version=None):
        return default

    def get_many(self, keys, version=None):
        return {}

    def has_key(self, key, version=None):
        return False

    def add(self, *args, **kwargs):
        return False

    def touch(self, *args, **kwargs):
        return False

    def delete(self, *args, **kwargs):
        return False

    def incr(self, key, delta=1, version=None):
        raise ValueError(f"Key '{key}' not found")

    def set(self, *args, **kwargs):
        pass

    def set_many(self, *args, **kwargs):
        return []

    def delete_many(self, *args, **kwargs):
        pass

    def clear(self):
        pass


class RedisFailOpen(_StandIn):
    stand_in = _Nothing()


class SharedStore(DatabaseCache):
    """Django's database cache that never pushes out an entry before its time: past
    `MAX_ENTRIES` rows it deletes the expired ones only (Django's own deletes a third of all
    entries, a lockout among them, so many distinct failed logins could erase one)."""

    def _cull(self, db, cursor, now, num):
        connection = connections[db]
        cursor.execute(
            "DELETE FROM {} WHERE {} < %s".format(  # noqa: S608  # nosec B608 - quoted names, no input
                connection.ops.quote_name(self._table), connection.ops.quote_name("expires")
            ),
            [connection.ops.adapt_datetimefield_value(now)],
        )

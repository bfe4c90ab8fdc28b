"""Redis as the shared cache, and what stands in while it is away.

allauth keeps its rate limits and the TOTP codes already used in the default cache: with
`RedisWithLocalFallback`, logins and password resets go on while Redis is down, their limits
counted in each process's memory until Redis answers again. Pages and their parts use
`RedisFailOpen`: while Redis is down nothing is kept and every page is rendered, because a page
kept in one process could not be invalidated by an edit made through another.
"""

import logging
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
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


class RedisWithLocalFallback(_StandIn):
    def __init__(self, server, params):
        super().__init__(server, params)
        self.stand_in = LocMemCache(f"fallback:{server}", params)


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

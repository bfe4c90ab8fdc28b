"""The shared cache, with this process's memory standing in while Redis is away.

allauth keeps its rate limits and the TOTP codes already used in the default cache. Without a
stand-in, every login and password reset would fail while Redis is down; with it they go on, and
their limits are counted per process until Redis answers again. The page cache uses its own alias
with the plain backend: pages kept per process could not be invalidated by an edit elsewhere.
"""

import logging
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# After a failure, Redis is tried again after this many seconds; meanwhile no request waits for
# its timeouts.
RETRY_SECONDS = 30
_unavailable_until = 0.0


class RedisWithLocalFallback(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self.local = LocMemCache(f"fallback:{server}", params)


def _with_fallback(name):
    redis_method = getattr(RedisCache, name)

    def method(self, *args, **kwargs):
        global _unavailable_until
        if time.monotonic() >= _unavailable_until:
            try:
                return redis_method(self, *args, **kwargs)
            except (RedisError, OSError) as error:
                _unavailable_until = time.monotonic() + RETRY_SECONDS
                logger.error(
                    "Redis unavailable, counting in this process for %s s: %s", RETRY_SECONDS, error
                )
        return getattr(self.local, name)(*args, **kwargs)

    method.__name__ = name
    return method


for _name in (
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
):
    setattr(RedisWithLocalFallback, _name, _with_fallback(_name))

"""One token bucket per organization, shared by every worker.

With ``REDIS_URL`` the bucket lives in Redis and is refilled and taken atomically by a Lua script;
without it, in a database row taken under a row lock. Either way, two workers sending for one
organization share one rate.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.db import transaction

from . import locks
from .models import RateBucket

_SCRIPT = """
local key, rate, burst, now = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local state = redis.call('HMGET', key, 'tokens', 'at')
local tokens, at = tonumber(state[1]), tonumber(state[2])
if tokens == nil then tokens, at = burst, now end
tokens = math.min(burst, tokens + (now - at) * rate)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = (1 - tokens) / rate end
redis.call('HSET', key, 'tokens', tokens, 'at', now)
redis.call('EXPIRE', key, 3600)
return tostring(wait)
"""
_redis: Any = None


def _redis_client() -> Any:
    global _redis
    if _redis is None:
        import redis

        _redis = redis.Redis.from_url(settings.MARKETING_RATE_REDIS_URL)
    return _redis


def _take_redis(organization_id: int, per_second: float, burst: float) -> float:
    client = _redis_client()
    wait = client.eval(_SCRIPT, 1, f"crm:marketing:bucket:{organization_id}", per_second, burst, time.time())
    return float(wait)


def _take_database(organization_id: int, per_second: float, burst: float) -> float:
    with transaction.atomic():
        bucket, _ = RateBucket.all_orgs.get_or_create(
            organization_id=organization_id, defaults={"tokens": burst, "refreshed_at": time.time()}
        )
        bucket = locks.rate_bucket_for_update(bucket_id=bucket.pk)
        now = time.time()
        tokens = min(burst, bucket.tokens + (now - bucket.refreshed_at) * per_second)
        wait = 0.0
        if tokens >= 1:
            tokens -= 1
        else:
            wait = (1 - tokens) / per_second
        RateBucket.all_orgs.filter(pk=bucket.pk).update(tokens=tokens, refreshed_at=now)
    return wait


def acquire(*, organization_id: int, per_minute: int) -> None:
    """Block until the organization may send one more message."""
    per_second = max(per_minute, 1) / 60.0
    # At most one second's worth at once: the rate holds over any second, and a token that comes
    # due while every worker is busy rendering or talking SMTP is not lost (with a bucket of one,
    # such tokens are, and the workers together fall short of the rate).
    burst = max(1.0, per_second)
    take = _take_redis if settings.MARKETING_RATE_REDIS_URL else _take_database
    while True:
        wait = take(organization_id, per_second, burst)
        if wait <= 0:
            return
        time.sleep(min(wait, 1.0))

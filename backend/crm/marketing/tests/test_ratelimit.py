"""The organization's token bucket: shared by every taker, one per organization (no timing assertions)."""

from __future__ import annotations

import os

import pytest
import redis
from django.test import override_settings

from crm.marketing import ratelimit

pytestmark = pytest.mark.django_db

# Not the worker-kill test's database (12): that test empties its own while it runs.
REDIS_URL = os.environ.get("MARKETING_TEST_REDIS_URL", "redis://127.0.0.1:6379/11")


@pytest.fixture
def redis_bucket():
    client = redis.Redis.from_url(REDIS_URL)
    ratelimit._redis = None
    with override_settings(MARKETING_RATE_REDIS_URL=REDIS_URL):
        yield client
    ratelimit._redis = None
    for key in client.scan_iter("crm:marketing:bucket:*"):
        client.delete(key)


@pytest.mark.parametrize("take", ["database", "redis"])
def test_the_bucket_gives_its_burst_then_makes_everyone_wait(org, other_org, redis_bucket, take):
    take_one = ratelimit._take_database if take == "database" else ratelimit._take_redis
    if take == "redis":
        for pk in (org.pk, other_org.pk):
            redis_bucket.delete(f"crm:marketing:bucket:{pk}")
    per_second, burst = 1 / 60, 1.0  # one message a minute
    # the first message goes at once; the next caller, whichever worker it is, waits about a minute
    assert take_one(org.pk, per_second, burst) == 0
    assert take_one(org.pk, per_second, burst) > 30
    assert take_one(org.pk, per_second, burst) > 30
    # ... while another organization has its own bucket
    assert take_one(other_org.pk, per_second, burst) == 0


def test_a_bucket_holds_its_burst_and_no_more(org, redis_bucket):
    redis_bucket.delete(f"crm:marketing:bucket:{org.pk}")
    waits = [ratelimit._take_redis(org.pk, 1 / 60, 3.0) for _ in range(4)]
    assert waits[:3] == [0, 0, 0]
    assert waits[3] > 30

"""Fill one organization with a benchmark-sized dataset (plus a small second organization).

Full size (``--scale 1``): 100,000 accounts, 1,000,000 contacts, 200,000 leads, 200,000
opportunities with 600,000 line items, 100,000 orders, 300,000 payments, 50,000 cases and
1,000,000 activities, owned by 25 users. ``--scale 0.1`` is the SQLite-friendly tenth.
"""

from __future__ import annotations

import random
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction

from crm.core.organizations import organization_initialise
from crm.core.scoping import org_scope
from crm.identity.models import Organization, Role, User
from crm.seeding.scale import ScaleContext, accounts, activities, billing, invoicing, sales, service

# Each domain's seeder, in the order their data builds on each other.
DOMAINS = (accounts, sales, billing, invoicing, service, activities)

BENCH_PASSWORD = "Bench-Passphrase-2026"  # noqa: S105 - a throwaway account on benchmark data


class Command(BaseCommand):
    help = "Generate a large dataset for benchmarks (see bench/README.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale", type=float, default=None, help="1.0 = full size (default 1 on PostgreSQL, 0.1 on SQLite)."
        )
        parser.add_argument("--users", type=int, default=25)
        parser.add_argument("--second-org-scale", type=float, default=0.01)
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--name", default="Scale Agency")

    def handle(self, *args: Any, **options: Any) -> None:
        scale = options["scale"]
        if scale is None:
            scale = 1.0 if connection.vendor == "postgresql" else 0.1
        started = time.perf_counter()
        main = self._populate(options["name"], "bench", scale, options["users"], options["seed"])
        self._populate(
            f"{options['name']} (second)", "bench2", scale * options["second_org_scale"], 3, options["seed"] + 1
        )
        if connection.vendor == "postgresql":
            # VACUUM sets the visibility map, so counts and keyset pages use index-only scans.
            self.stdout.write("VACUUM ANALYZE ...")
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        self.stdout.write(
            f"Done in {time.perf_counter() - started:.0f}s. Sign in as bench@scale.example / {BENCH_PASSWORD} (organization {main})."
        )

    def _populate(self, name: str, prefix: str, scale: float, users: int, seed: int) -> int:
        org = Organization.objects.create(name=name)
        organization_initialise(organization_id=org.pk)
        owner = User.objects.create_user(
            f"{prefix}@scale.example", BENCH_PASSWORD, organization=org, name=f"{name} Owner", role=Role.OWNER
        )
        user_ids = [owner.pk] + [
            User.objects.create_user(
                f"{prefix}.user{n}@scale.example", None, organization=org, name=f"Sales Rep {n:02d}", role=Role.USER
            ).pk
            for n in range(1, users)
        ]
        ctx = ScaleContext(
            organization_id=org.pk, user_ids=user_ids, scale=scale, rng=random.Random(seed), report=self.stdout.write
        )
        self.stdout.write(f"{name}: scale {scale:g}")
        with org_scope(org.pk):
            for module in DOMAINS:
                with transaction.atomic():
                    module.generate(ctx)
        return org.pk

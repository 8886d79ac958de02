"""The database cache's table (login throttling and lockout) comes with `migrate`, so a database
prepared with `migrate` alone answers sign-ins. Does what `createcachetable` does, and like it
skips a table that exists already; with a cache that needs no table (Redis) it does nothing."""

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import BaseDatabaseCache
from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    for alias in settings.CACHES:
        cache = caches[alias]
        if isinstance(cache, BaseDatabaseCache):
            command.create_table(schema_editor.connection.alias, cache._table, dry_run=False)


class Migration(migrations.Migration):

    dependencies = [
        ("identity", "0006_user_time_zone_manager"),
    ]

    operations = [
        migrations.RunPython(create_cache_tables, migrations.RunPython.noop, elidable=False),
    ]

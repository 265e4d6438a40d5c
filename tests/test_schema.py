"""The database holds every constraint and index the models declare, after all migrations.

A migration that alters a field can drop more than it says: on PostgreSQL, removing a
column's db_index dropped the partial unique indexes of two UniqueConstraints on it.
"""

import pytest
from django.apps import apps
from django.db import connection

APPS = ("households", "cadres", "inspections", "accounts", "audit", "ledgers")


def _declared():
    for model in apps.get_models():
        if model._meta.app_label not in APPS or not model._meta.managed:
            continue
        for item in [*model._meta.constraints, *model._meta.indexes]:
            yield model, item.name


@pytest.mark.django_db
def test_every_declared_constraint_and_index_exists_in_the_database():
    # given the constraints and indexes the database holds, per table
    with connection.cursor() as cursor:
        held = {
            model._meta.db_table: set(
                connection.introspection.get_constraints(cursor, model._meta.db_table)
            )
            for model in apps.get_models()
            if model._meta.app_label in APPS and model._meta.managed
        }

    # then every declared one is among them
    missing = [
        f"{model._meta.label}.{name}"
        for model, name in _declared()
        if name not in held[model._meta.db_table]
    ]
    assert missing == []

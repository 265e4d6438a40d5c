"""Factories of audit trail entries."""

import factory
from django.contrib.contenttypes.models import ContentType

from audit.models import TrailEntry
from tests import factories


class LogEntryFactory(factory.django.DjangoModelFactory):
    """An entry as an edit of a household leaves it."""

    class Meta:
        model = TrailEntry

    content_type = factory.LazyFunction(
        lambda: ContentType.objects.get_by_natural_key("households", "household")
    )
    object_pk = factory.LazyAttribute(lambda o: str(factories.HouseholdFactory().pk))
    object_id = factory.LazyAttribute(lambda o: int(o.object_pk))
    object_repr = "户 1001"
    action = TrailEntry.Action.UPDATE
    changes = factory.LazyFunction(lambda: {"phone": ["138****5678", "139****0000"]})


# The trail's admin is registered on the proxy that carries its Chinese names.
ADMIN_FACTORIES = {"audit.TrailEntry": LogEntryFactory}

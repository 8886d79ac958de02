"""``?search=`` on lists: every word must match, across foreign keys by id subqueries, and a
searched list read in whichever of two bounded ways fits the term."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import ExpressionWrapper, F, Field, IntegerField, Model, Q, QuerySet
from rest_framework.filters import SearchFilter
from rest_framework.request import Request

from .plan import list_plan
from .sql import id_in

# A searched list is read in one of two ways, each bounded by what it reads:
#
# - the walk (search_walk): the first SEARCH_WINDOW rows of the list, in list order, and the
#   matches among them. When they fill the page, they are the page: every other match sorts
#   after them. A common term ("example" in e-mail addresses) is answered this way.
# - all the matches, found through the trigram indexes and then sorted: a search costs what its
#   matches cost. Left to itself, PostgreSQL's planner often walks the whole ordering index
#   instead, expecting matches spread evenly; a name search in a name-sorted list finds them all
#   together, late in the index, after reading most of a million-row table. A leading sort key
#   equal on every row (id * 0) changes no order, but no index can produce it, so the plan
#   becomes: bitmap of the matches, then a top-N sort.
UNINDEXED_SORT_KEY = ExpressionWrapper(F("pk") * 0, output_field=IntegerField()).asc()
SEARCH_WINDOW = 2000


def search_walk(view: Any, queryset: QuerySet[Any], after: Any = None) -> QuerySet[Any] | None:
    """``queryset`` (searched) limited to the first SEARCH_WINDOW rows of the unsearched list.

    ``after`` is the keyset cursor condition, so the window starts where the page starts.
    None when the list is not searched.
    """
    plan = list_plan(view)
    source, ordering = plan.search_source, plan.ordering
    if source is None or ordering is None:
        return None
    if after is not None:
        source = source.filter(after)
    window = source.order_by(*ordering).values("pk")[:SEARCH_WINDOW]
    # As an array of ids the window is read first and its rows fetched by id; as a subquery the
    # planner would rather collect every match and keep those in the window.
    return queryset.filter(id_in("pk", window)).order_by(*ordering)


def walked_rows(walk: QuerySet[Any] | None, start: int, stop: int) -> list[Any] | None:
    """Rows ``start:stop`` of a search walk, or None when the window does not hold them all
    (then only reading every match gives the right rows)."""
    if walk is None:
        return None
    rows = list(walk[start:stop])
    return rows if len(rows) == stop - start else None


class RecordSearchFilter(SearchFilter):
    """``?search=``: every word must match one of the view's ``search_fields``.

    A field across a foreign key (``account__name``) becomes ``account_id IN (matching ids)``,
    so each table's own (trigram) index answers its part and the join never blocks an index.
    """

    def filter_queryset(self, request: Request, queryset: QuerySet[Any], view: Any) -> QuerySet[Any]:
        fields = self.get_search_fields(view, request)
        terms = self.get_search_terms(request)[:5]
        if not fields or not terms:
            return queryset
        model = queryset.model
        matches = Q()
        for term in terms:
            condition = Q()
            for name in fields:
                condition |= _field_matches(model, name, term)
            matches &= condition
        # How a searched list is read: see SEARCH_WINDOW.
        list_plan(view).search_source = queryset
        return queryset.filter(matches)


def _in_current_org(queryset: QuerySet[Any]) -> QuerySet[Any]:
    from crm.core.scoping import current_org_id_or_none

    org_id = current_org_id_or_none()
    return queryset if org_id is None else queryset.filter(organization_id=org_id)


def _field_matches(model: type[Model], name: str, term: str) -> Q:
    if "__" not in name:
        return Q(**{f"{name}__icontains": term})
    relation, rest = name.split("__", 1)
    field = model._meta.get_field(relation)
    if not isinstance(field, Field):
        raise TypeError(f"Search across {model.__name__}.{relation} needs a foreign key, not a reverse relation.")
    related = cast("type[Model]", field.related_model)
    manager = getattr(related, "all_orgs", related._default_manager)
    matching = manager.filter(_field_matches(related, rest, term)).values("pk")
    if hasattr(related, "all_orgs"):
        matching = _in_current_org(matching)
    return id_in(field.attname, matching)

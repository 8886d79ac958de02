"""Tags on any record: the organization's tags (``Tag``) and one tagging table for every object.

``selectors`` reads (a record's tags, a page's tags in one query, the records carrying tags),
``services`` writes (create, rename, delete; add to and remove from a record, audited, with the
"tag added" domain event), ``api`` serves ``/tags`` and the ``tags`` actions every record viewset has.
"""

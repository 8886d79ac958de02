"""How every list is read: its plan (``plan``), ordering, search, filters, pagination, routing and
the SQL helpers they share. Import from the module that holds what you need."""

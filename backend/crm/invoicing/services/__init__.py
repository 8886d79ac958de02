"""Invoicing business actions: quotes, invoices, credit notes, payments, retainer billing, documents."""

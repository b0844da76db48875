"""Background jobs: long work (invitations, imports, plans) queued in the database and run by the worker."""

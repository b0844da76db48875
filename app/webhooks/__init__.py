"""Webhooks: organisers' endpoints, signed JSON deliveries through the outbox, and their log."""

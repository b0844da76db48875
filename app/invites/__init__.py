"""Calendar invites: ICS feeds, emailed iMIP invitations and the durable outbox that sends them."""

"""Device credentials: encrypted storage in the database, candidate order per device, key rotation."""

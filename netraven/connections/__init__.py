"""Device connections: netmiko sessions with credential fallback, retries and error classification."""

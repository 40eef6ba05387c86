"""Models of the ticketing app, one module per concept (tickets and orders, badges, check-in)."""

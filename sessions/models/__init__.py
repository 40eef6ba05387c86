"""Models of the agenda app (label "agenda"), one module per concept."""

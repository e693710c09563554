"""The search app keeps no tables of its own yet."""

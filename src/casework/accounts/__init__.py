"""Users, API tokens and (later) roles and permissions."""

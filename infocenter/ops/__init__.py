"""Operations: the health endpoint for monitoring, and `flask backup` / `flask restore`."""

"""Operations on a whole installation: backups and their restore (``ops.backup``)."""

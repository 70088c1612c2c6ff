"""Tally, ranking with the tie ladder, selection, the rules frozen at seal, and commit."""

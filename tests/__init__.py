"""clausewatch's tests, one folder per layer (see README, "Tests")."""

"""Portfolio reports: what a team has at stake across its contracts, as CSV, JSON and HTML."""

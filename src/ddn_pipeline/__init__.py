"""ddn-pipeline: doubly disadvantaged neighbourhoods, reproduced from open data."""

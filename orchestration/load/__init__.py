"""Load parsed records into the warehouse's `raw` schema."""

"""Parse: landed bytes -> raw records (documents, duties, units, indicators …)."""

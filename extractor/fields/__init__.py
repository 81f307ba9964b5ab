"""Field extraction: one module per field family, each over a shared Context."""

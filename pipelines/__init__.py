"""Item pipelines, in data-flow order: decode -> extract -> normalize -> (enrich) -> store."""

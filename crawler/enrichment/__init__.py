"""Link articles and comments to the actors and places they mention; find near-duplicate articles."""

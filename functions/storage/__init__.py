"""Storage: one small table interface, a blob store and an SMS sender, each with a local and an aws backend."""

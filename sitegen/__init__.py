"""The static-site build: content/ (YAML + Markdown) -> site/ (HTML, catalog.json, search index)."""

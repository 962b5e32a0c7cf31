"""The serverless API (FastAPI + Mangum). It reads only site/catalog.json, never content/."""

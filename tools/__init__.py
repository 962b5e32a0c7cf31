"""Tools that may use both the build and the API: make dev's live-reloading server (dev.py, dev_reload.py), the
Lambda bundle (build_lambda_bundle.py) and the site upload (deploy_site.py)."""

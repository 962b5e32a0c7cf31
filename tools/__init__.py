"""Build and deployment tools: the Lambda bundle (build_lambda_bundle.py) and the site upload (deploy_site.py)."""

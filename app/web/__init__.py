"""The only package that imports FastAPI: templating, dependencies, error pages, routes."""

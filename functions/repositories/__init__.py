"""Repositories: the records of the portal, written once over the storage Table interface."""

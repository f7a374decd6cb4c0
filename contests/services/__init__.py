"""Every state change about contests goes through this package, one module per concern.
Each function checks permission (accounts.policy), validates, writes in one transaction
and logs the action (core.activity). Refusals are core.errors (NotAllowed, ...), or
contests.ckan.CatalogError when a catalog cannot give us a dataset; no service speaks
HTTP.
"""

from .datasets import SearchHit, SearchResults, import_dataset, search_catalog

__all__ = ["SearchHit", "SearchResults", "import_dataset", "search_catalog"]

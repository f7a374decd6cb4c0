from .datasets import Catalog, Dataset, Resource

__all__ = ["Catalog", "Dataset", "Resource"]

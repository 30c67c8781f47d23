"""Storage: pynamodb models (models.py) and the operations the pipeline and API need
(repository.py). Nothing else touches the table."""

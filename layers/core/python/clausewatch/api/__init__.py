"""The query and action API (API Gateway REST -> the api λ): app.py is the resolver."""

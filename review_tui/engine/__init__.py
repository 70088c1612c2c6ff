"""The domain engine. Plain Python: this package never imports Textual."""

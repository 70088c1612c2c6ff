"""review-tui: run a blinded review committee, from intake to award, offline."""

__version__ = "0.1.0"

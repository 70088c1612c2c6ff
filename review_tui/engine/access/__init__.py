"""Who may act: the chair's and secretariat's credentials, reviewers' PINs, attempt
limits, and the role each step is taken in."""

"""The deal and the score sheets: in the app, on paper, and in reviewers' packets."""

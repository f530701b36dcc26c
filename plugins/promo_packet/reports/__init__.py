"""Answers read from the model, rendered nowhere: the monthly review, the one-on-one brief, the
calendar, lint tips."""

"""A change under review: plan files at a git revision and the money effect of the change.

Builds on the plan; independent of the actuals wing.
"""

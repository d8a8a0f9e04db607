"""The plan: what the board decides to spend.

The contract (pydantic models), loading YAML with locations, scenarios and amendments, the
pure engine, funding and reserve flows, indexation, the rules, the memo's tables as data and
the comparison of plans. Imports only the ground below it (errors, numbers, rounding, reading).
"""

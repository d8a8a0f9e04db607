"""The money spent: a ledger export set against the plan.

Reading an export (CSV or workbook), the mapping file, booking postings on plan lines, the
analysis of budget against realisation (pure) and the year end (staffing, reserve). Builds on
the plan; the review wing and render/ never appear here.
"""

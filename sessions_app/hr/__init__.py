"""HR's aggregate participation report.

periods (which months, quarters and year are reportable) -> queries (the database
counts) -> suppression (which cells to hide; pure Python, with knowledge, certify,
witness, swaps and bounds: the viewer's model and the proofs that hidden figures stay
uncertain) -> report (the suppressed figures and markers, the only data path for HR)
-> tables, charts and export (the page and the CSV) -> views. Nothing here imports
sessions_app.pulse, .meetings or .notes.
"""

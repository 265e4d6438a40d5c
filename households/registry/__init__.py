"""The registry workbook (花名册) pipeline.

Stages: read → headers → fill → normalise → validate → diff → write → report.

Each stage is one module and can be tested alone; `pipeline.py` only chains them.
"""

"""The pieces of bench/registry.py: the workbook generator and the steps it measures."""

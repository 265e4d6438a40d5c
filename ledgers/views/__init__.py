"""Pages of the ledger (一户一册): printing (printing.py); export and import come later."""

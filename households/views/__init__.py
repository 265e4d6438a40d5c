"""Pages of the households app: registry import (imports.py, preview.py) and export (exports.py)."""

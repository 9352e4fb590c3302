"""The message table: one file per language and area (en/<area>.py, zh/<area>.py), merged and formatted
by messages.py (t, fmt_*, stage_label, column_label)."""

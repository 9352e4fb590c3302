"""Reading exports into a new database: files and encodings (readers), the import itself and its rejects
ledger (load, load_table), deal repairs, uploads, and the CRM converters in formats/."""

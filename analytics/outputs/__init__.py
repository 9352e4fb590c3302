"""What leaves the dashboard: the command line (cli), its reports (reports, rendered by render) and the
review pack as HTML or PDF (pack)."""

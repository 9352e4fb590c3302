"""The ground floor: configuration (closed_loop.toml), filters, the canonical table schema, statistics and
the stalled-list parameters. No I/O, no SQL; every other wing may import it."""

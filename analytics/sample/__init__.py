"""The generator of the bundled sample company: python -m analytics.sample OUT [--leads N] [--seed S]."""

"""python -m analytics.sample OUT [--leads N] [--seed S] [--format csv|parquet]"""
from analytics.sample.generate import main

raise SystemExit(main())

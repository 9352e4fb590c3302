from analytics.outputs.cli import main

raise SystemExit(main())

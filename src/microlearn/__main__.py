from microlearn.cli.main import main

raise SystemExit(main())

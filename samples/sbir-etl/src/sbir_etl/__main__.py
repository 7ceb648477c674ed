"""Entry point for ``python -m sbir_etl``."""

import sys

from sbir_etl.cli import main

sys.exit(main())

"""``python -m extractor`` runs the ``vanban`` command line."""

import sys

from extractor.cli import main

sys.exit(main())

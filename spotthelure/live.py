"""`make live`: Voilà, started from this package (``python -m spotthelure.live``, Voilà's own
options after it). The package, imported first, keeps jsonschema's optional IRI grammars from
loading (see spotthelure/__init__.py): about 2 s of every start. Without them Voilà's server still
checks its events' schemas, and treats an IRI format it cannot check as valid."""
import sys

from voila.app import main

if __name__ == "__main__":
    sys.exit(main())

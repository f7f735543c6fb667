"""Spot the Lure: validation and rendering of the book's content."""
import sys

# jsonschema imports the optional IRI-syntax checker when it is installed (Voila's server brings it),
# which compiles about 40 grammars, some 2 s, on every start. No schema here or in the book's build
# uses the IRI formats, so skip it unless something loaded jsonschema already.
if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)

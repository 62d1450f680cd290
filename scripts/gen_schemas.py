"""Write the JSON Schemas shipped in nichiro/schemas/ from the field specs in nichiro/model.py.

python scripts/gen_schemas.py          # regenerate the files (commit them with the model change)
python scripts/gen_schemas.py --check  # exit 1, naming them, when the files are stale
"""

from __future__ import annotations

import argparse
import sys

from nichiro.schema import SCHEMAS_DIR, stale_schemas, write_schemas


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that the shipped files are up to date")
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_schemas(SCHEMAS_DIR)
        for path in stale:
            sys.stderr.write(f"stale: {path} (run python scripts/gen_schemas.py)\n")
        return 1 if stale else 0
    for path in write_schemas(SCHEMAS_DIR):
        sys.stdout.write(f"wrote {path}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Every group hit the matcher makes on the third-party corpora, for a reader to judge.

The corpora are real posts that were not labelled for group mentions (Roman Urdu RUHSOLD, Urdu
threats and abuse, Stormfront, the Kaggle extremism set; the labelled pro-ISIS tweets are
measured by ``nigehban groups eval-corpus`` instead). Precision on them can only be read: this
prints, per corpus, the number of posts and of hits by (group, name as written), and with
``--show`` each hit with 50 characters of its post on either side. The texts are read from the
``corpora_dir`` setting (else ``../shared/data/corpora``) and never written anywhere.

    .venv/bin/python bench/group_corpora_hits.py [--show] [--corpus ruhsold ...]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter

from nigehban.cli.corpora import corpora_dir
from nigehban.errors import NigehbanError
from nigehban.groups.matcher import GroupMatcher
from nigehban.groups.registry import load_registry
from nigehban.settings import load_settings
from nigehban.stance.thirdparty import SOURCES, read_source

READ = ("ruhsold", "urdu_threat", "urdu_abusive", "stormfront", "extremism_digital")
CONTEXT = 50


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="print each hit in its post")
    parser.add_argument("--corpus", nargs="+", choices=sorted(SOURCES), default=list(READ))
    args = parser.parse_args(argv)
    root = corpora_dir(load_settings())
    if root is None:
        print("no third-party corpora: set NIGEHBAN_CORPORA_DIR", file=sys.stderr)
        return 2
    matcher = GroupMatcher(load_registry())
    for name in args.corpus:
        try:
            rows = read_source(name, root)
        except NigehbanError as exc:
            print(exc, file=sys.stderr)
            return 2
        hits: Counter[tuple[str, str]] = Counter()
        for row in rows:
            for hit in matcher.match(row.text):
                hits[hit.entry_id, hit.surface] += 1
                if args.show:
                    start = max(0, hit.span.start - CONTEXT)
                    shown = row.text[start : hit.span.end + CONTEXT].replace("\n", " ")
                    print(f"  {name} {hit.entry_id} {hit.surface!r}: …{shown}…")
        print(f"{name}: {len(rows)} posts, {sum(hits.values())} hits")
        for (entry, surface), count in sorted(hits.items(), key=lambda kv: (-kv[1], kv[0])):
            print(f"    {count:4d}  {entry}  {surface!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

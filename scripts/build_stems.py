"""Write ``src/aligner/data/stems.txt``: NLTK's Snowball stems of common English words.

Stemming is pure Python (about 25 us a word), and a comparison stems every
distinct word of both documents afresh. Most of those words are among the
commonest of English, so their stems are computed once, here, by the same
stemmer, and looked up at run time; other words (names, rare words) are
stemmed as before. ``tests/engine/test_segment.py`` checks that the table
still agrees with the installed NLTK.

    .venv/bin/python scripts/build_stems.py

The words are wordfreq's small English list (what ``aligner.lexicon`` reads),
those made of the letters a-z only.
"""

from __future__ import annotations

import re
from pathlib import Path

from nltk.stem.snowball import SnowballStemmer

from aligner import lexicon

OUT = Path(__file__).resolve().parent.parent / "src" / "aligner" / "data" / "stems.txt"


def main() -> None:
    stemmer = SnowballStemmer("english", ignore_stopwords=False)
    words = sorted(w for w in lexicon._zipf_table() if re.fullmatch(r"[a-z]+", w))
    lines = []
    for word in words:
        stem = stemmer.stem(word)
        # One word per line, then its stem when that differs.
        lines.append(word if stem == word else f"{word}\t{stem}")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(words)} words -> {OUT}")


if __name__ == "__main__":
    main()

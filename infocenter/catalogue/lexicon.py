"""Equivalent forms from maintained sources, beside the administrators' synonyms table.

- Thai abbreviations and their full forms: the dictionary of KhamYo, the library behind
  PyThaiNLP's ``abbreviation_to_full_text`` (CC0 data; อบต. → องค์การบริหารส่วนตำบล, ผวจ. →
  ผู้ว่าราชการจังหวัด, ครม. → คณะรัฐมนตรี, อ. → อำเภอ / อาจารย์ …). Only its ``data.json`` is read:
  importing KhamYo loads a sentence-embedding model (torch, and a download) to choose between the
  meanings of an ambiguous abbreviation, which a search does not need: it looks for all of them.
  The package is installed without its dependencies (``make install``) and found, not imported.
- Loan words: PyThaiNLP's Thai–English transliteration corpus (อีเมล / e-mail / email,
  คอมพิวเตอร์ / computer, เฟซบุ๊ก / เฟสบุ๊ค / facebook: the spellings that do not follow the Royal
  Institute's rules are in it too).

``lexicon_matches`` gives the groups a typed term belongs to; ``synonyms.expand`` adds their forms
after the table's (the table wins where both know a term).
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

from ..thai import THAI_LETTERS, search_key

log = logging.getLogger(__name__)

# A form inside a longer term expands it ("ผวจ.นครสวรรค์", "ระบบอินเทอร์เน็ต") from this length:
MIN_CONTAINED_ABBREVIATION = 4  # with a dot (ผวจ.)
MIN_CONTAINED = 6  # without: shorter words are pieces of other words (กราฟ in กราฟิก)
MIN_LATIN = 4  # English forms shorter than this ("app", "bar") are pieces of other words


@dataclass(frozen=True)
class LexiconGroup:
    keys: tuple[str, ...]  # search_key of each form
    forms: tuple[str, ...]  # as written: the forms searched for (not one-letter abbreviations)


@dataclass(frozen=True)
class Lexicon:
    by_key: dict[str, tuple[LexiconGroup, ...]]  # dotless search key → its groups
    contained: frozenset[str]  # keys that also expand a longer term holding them
    longest: int


def _bare(key: str) -> str:
    return key.replace(".", "")


def _khamyo_pairs() -> list[tuple[str, list[str]]]:
    spec = find_spec("khamyo")  # located, not imported (see above)
    if spec is None or not spec.submodule_search_locations:
        log.warning("khamyo is not installed: abbreviations expand from the synonyms table only")
        return []
    path = Path(next(iter(spec.submodule_search_locations))) / "data.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return [(short, list(full)) for short, full in data.items() if "(" not in short]


def _loan_word_groups() -> list[list[str]]:
    from pythainlp.corpus.th_en_translit import get_transliteration_dict

    by_english: dict[str, list[str]] = defaultdict(list)
    for thai, entry in get_transliteration_dict().items():
        for english, official in zip(entry["en"], entry["follow_rtsg"], strict=False):
            english = english.strip().lower()
            if len(english) < MIN_LATIN:
                continue
            forms = by_english[english]
            if thai not in forms:
                forms.insert(0 if official else len(forms), thai)
    return [[*thai, english] for english, thai in by_english.items()]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """Both sources, read once per process."""
    by_key: dict[str, list[LexiconGroup]] = defaultdict(list)
    contained: set[str] = set()
    # One group per meaning: รร. finds โรงเรียน and โรงแรม, but โรงเรียน does not find โรงแรม.
    abbreviations = [[short, meaning] for short, full in _khamyo_pairs() for meaning in full]
    groups = abbreviations + _loan_word_groups()
    for forms in groups:
        keys = tuple(dict.fromkeys(k for k in (search_key(f) for f in forms) if k))
        if len(keys) < 2:
            continue
        # A one-letter abbreviation (ม., อ., จ.) expands when typed, but is never searched for
        # in place of a word: ม. is in every "ม. 4" and "ม.ค.", not only where it means หมู่บ้าน.
        group = LexiconGroup(keys, tuple(f for f in forms if len(_bare(search_key(f))) > 1))
        for key in keys:
            bare = _bare(key)
            by_key[bare].append(group)
            if len(key) >= (MIN_CONTAINED_ABBREVIATION if "." in key else MIN_CONTAINED):
                contained.add(key)
    return Lexicon(
        {k: tuple(v) for k, v in by_key.items()},
        frozenset(contained),
        max((len(k) for k in contained), default=0),
    )


def lexicon_matches(term: str) -> Iterator[tuple[LexiconGroup, str, bool]]:
    """(group, the key of the group found in the term, whether it is the whole term) for each
    group the term is a form of, then for each group with a form inside the term."""
    lex = lexicon()
    for group in lex.by_key.get(_bare(term), ()):
        yield group, next(k for k in group.keys if _bare(k) == _bare(term)), True
    seen: set[str] = set()
    # A one-letter abbreviation glued to the name after it: อ.ตาคลี, จ.นครสวรรค์, ต.บางม่วง;
    # not to another abbreviation's letter (ต.ค. is ตุลาคม, พ.ร.บ. a law: not ตำบล, not พระ).
    head, dot, rest = term.partition(".")
    if dot and len(head) == 1 and len(rest.partition(".")[0]) >= 2 and rest[0] in THAI_LETTERS:
        seen.add(head + dot)
        for group in lex.by_key.get(head, ()):
            yield group, head + dot, False
    for size in range(min(len(term) - 1, lex.longest), 3, -1):  # longest first
        for start in range(len(term) - size + 1):
            part = term[start : start + size]
            if part in lex.contained and part not in seen:
                seen.add(part)
                for group in lex.by_key.get(_bare(part), ()):
                    yield group, part, False

"""Name forms for entity resolution: the values two records' names are compared on.

A person turns up under many written forms: "Trần Văn Tuấn" and "Tuan Van Tran",
"สมชาย แก้วมณี" and "Somchai Kaewmanee", "মোহাম্মদ রহিম" and "Md. Rahim", "陈伟明" and
"Chen Weiming", "Chị Maricel" and "Maricel". :func:`name_forms` derives, from all the names
and aliases of one record, forms on which such variants meet:

* order-free keys (the folded words, sorted), for "same name";
* tokens (the folded words, nickname expansions, joined and split given names), for
  "name parts in common";
* initials;
* phonetic consonant skeletons, on which romanisations of Thai and Bengali script and
  spelling variants (Mohammad/Muhammad, Chowdhury/Choudhury) meet;
* block keys (the skeletons of one name, sorted; also without particles and other parts
  often left out), for choosing candidate pairs.

Unlike :func:`normalise.names.normalise_name`, which keeps a name as written, these forms
fold accents and transliterate scripts: they are for finding candidates and weighing
evidence, and two names that share a form are not thereby the same name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from anyascii import anyascii

from normalise.name_tables import (
    ABBREVIATIONS,
    BIRTH_ORDER,
    DESCRIPTOR_PHRASES,
    DESCRIPTORS,
    DOTTED_ABBREVIATIONS,
    HONORIFIC_PHRASES,
    HONORIFICS,
    JOINED_PARTICLES,
    KINSHIP,
    NAME_TITLES,
    NICKNAMES,
    OPTIONAL_PARTS,
    PINYIN_SHORT_SYLLABLES,
    PINYIN_SYLLABLES,
    SUFFIXES,
    THAI_JOINED_TITLES,
)


@dataclass(frozen=True, slots=True)
class NameForms:
    """The comparable forms of one record's names (see :func:`name_forms`).

    Attributes:
        key: the first usable name's order-free key (its tokens sorted, joined by one
            space), or None when no name is usable.
        keys: the order-free keys of every usable name, in Latin letters and, for a name
            in another script, also as written; also each name's words run together in
            written order ("Boon Kok" as "Boonkok"); sorted, unique.
        tokens: the folded words of every usable name (2 characters or more), with the
            full forms of nicknames, adjacent words joined, and joined given names split
            into their syllables (pinyin "Weijie", capitalised "KokLeong"); sorted, unique.
        initials: the first letter of every word, single letters included; sorted, unique.
        letters: the words written as a single letter (initials as such: the "S" of
            "Maria S."); sorted, unique.
        skeletons: the phonetic consonant skeleton of every token (those of 2 characters
            or more); sorted, unique.
        block_keys: per usable name, the skeletons of its words sorted and joined by one
            space; also with a joined Chinese given name split, and without the parts
            records often leave out (particles such as "dela", Văn and Thị, Mohammad);
            sorted, unique.
        short_key: the first name's first and last words (folded, sorted), on which it
            meets the name written with its middle names left out ("Lê Ngọc Mai" and
            "Lê Mai"); None for a name of one word.
    """

    key: str | None
    keys: tuple[str, ...]
    tokens: tuple[str, ...]
    initials: tuple[str, ...]
    skeletons: tuple[str, ...]
    block_keys: tuple[str, ...]
    short_key: str | None = None
    letters: tuple[str, ...] = ()


EMPTY = NameForms(None, (), (), (), (), ())

# Text in brackets is a note about the person ("Anh Mon (sếp PH)"), not a name; an
# unclosed bracket runs to the end.
_BRACKETED = re.compile(r"[(\[（【{][^)\]）】}]*(?:[)\]）】}]|$)")
_BRACKET_OPEN = re.compile(r"[(\[（【{]")
# Words are separated by spaces and list punctuation; within a word, hyphens, apostrophes
# and full stops separate the parts ("Marc-André", "J.L.").
_WORD_SEPARATORS = re.compile(r"[\s,/\\;:|&+]+")
_PART_SEPARATORS = re.compile(r"[-‐‑‒–—'’ʼ`´.·_]+")
# A one-letter elision before an apostrophe belongs to the word: O'Brien, D'Souza.
_ELISION = re.compile(r"(?<=^[^\W\d_])['’ʼ`´](?=[^\W\d_]{2})")
_NOT_ASCII_ALNUM = re.compile(r"[^0-9a-z]+")
# anyascii writes each Chinese character as one capitalised syllable ("ChenWeiMing").
_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z])(?=[A-Z])")

# Vietnamese đ is a letter of its own, not d with a mark: NFKD leaves it whole.
_LATIN_EXTRA = str.maketrans({"đ": "d", "Đ": "D"})
_VOWELS = frozenset("aeiou")
# Latin letters: Basic Latin to IPA Extensions and Latin Extended Additional (Vietnamese).
_LATIN_END = 0x250
_LATIN_ADDITIONAL = range(0x1E00, 0x1F00)
_THAI = range(0x0E00, 0x0E80)

# Thai script, rewritten into the order it is read before transliteration (anyascii maps
# one character at a time, and Thai writes some sounds out of spoken order):
# a consonant under the cancellation mark (with the vowel it carries) is silent;
_THAI_SILENT = re.compile("(?:[ทต]ร|[\u0e01-\u0e2e])[\u0e34\u0e38]?\u0e4c")
# a doubled ร (ro han) is the vowel a, with a final n when nothing follows;
_THAI_RO_HAN = re.compile("รร(?=[\u0e01-\u0e2e])")
_THAI_RO_HAN_FINAL = re.compile("รร")
# ห before a sonorant only sets the tone ("ใหญ่" is yai);
_THAI_TONE_H = re.compile("ห(?=[งญนมยรลว])")
# and the vowels เ แ โ ใ ไ are written before the consonant they follow in speech.
_THAI_LEADING_VOWEL = re.compile("([\u0e40-\u0e44])([\u0e01-\u0e2e])")
# Closing a syllable, a Thai consonant is said as one of k, t, p or n ("บุญ" is boon,
# "สวัสดิ์" sawat, "รัตนากร" rattanakon), which romanisations write; anyascii writes the
# letter. ล is left alone: both "-pol" and "-phon" are usual for a final ล.
_THAI_FINAL_SOUND = {
    **dict.fromkeys("กขคฆ", "ก"),
    **dict.fromkeys("จชซฌฎฏฐฑฒดตถทธศษส", "ต"),
    **dict.fromkeys("บปพฟภ", "ป"),
    **dict.fromkeys("ญณรฬ", "น"),
}
# A final: the last consonant of the word (tone marks may follow), the first of a doubled
# consonant ("ธวัชชัย" -> thawatchai), a ญ before a consonant ("กาญจนา" -> kanchana).
_THAI_FINAL = re.compile(
    "[\u0e01-\u0e2e](?=[\u0e48-\u0e4b]*$)|([\u0e01-\u0e2e])(?=\\1)|ญ(?=[\u0e01-\u0e2e])"
)
# ว between two consonants is the vowel ua ("ดวงใจ" is duangjai).
_THAI_VOWEL_W = re.compile("(?<=[\u0e01-\u0e2e])ว(?=[\u0e01-\u0e2e])")
_THAI_CONSONANTS = frozenset(chr(c) for c in range(0x0E01, 0x0E2F))
_THAI_WORD_STARTS = _THAI_CONSONANTS | frozenset("\u0e40\u0e41\u0e42\u0e43\u0e44")

# Skeletons: v and w are one sound in Thai and Vietnamese romanisation (Wichai/Vichai);
# q is k; j and ch (written c after the h is dropped) are one affricate in Thai
# romanisation (จ is written j or ch), and z is the same sound in Bangla romanisation
# (Zahid/Jahid for জাহিদ) and Wade-Giles (Chang/Zhang). Tokens are ASCII, so bytes
# tables serve (faster than str.translate).
_SKELETON_LETTERS = bytes.maketrans(b"vqjz", b"wkcc")
_DOUBLED = re.compile(r"(?<=(.))\1+")
# h after a stop or sibilant marks aspiration, which romanisations write or leave out
# (Srisuk/srisukh, Chowdhury/caudhuri, Thongdee/Tongdee); after n (Vietnamese nh) or a
# vowel it is a sound of its own and stays.
_ASPIRATION = re.compile(r"(?<=[bcdgkpst])h+")
# w after a vowel and before a consonant (or at the end) closes the vowel: Kaew, Chow.
_CLOSING_W = re.compile(r"(?<=[aeiouy])w(?![aeiou])")
_VOWELS_Y = frozenset("aeiouy")
# A final r before t after a vowel, silent in English-style spellings of Thai.
_SILENT_R = re.compile(r"(?<=[aeiou])rt$")
# How anyascii spells the Thai vowels written before their consonant: แ (ae), ใ and ไ (ai).
_THAI_LEADING_SPELLINGS = frozenset({"ae", "ai"})
# Past the first letter, y is a vowel (Nguyen, Priya, smchay).
_VOWEL_BYTES = b"aeiouy"

# Smallest number of letters in a pinyin syllable a joined given name is split into:
# two-letter syllables (li, na, da) would split Lina, Dana and Linda; the few in
# PINYIN_SHORT_SYLLABLES are the exception.
_MIN_SYLLABLE = 3
_MAX_SYLLABLE = 6
_MIN_SPLIT = 4  # letters in the shortest token split: two short syllables ("yiyu")
# Cache sizes: words and tokens repeat across records (some 20,000 distinct words in a
# million records), whole names much less; a cached name holds its forms (~0.7 kB).
_CACHE = 1 << 17
_NAME_CACHE = 1 << 16

_LEADING = HONORIFICS | KINSHIP
_TRAILING = DESCRIPTORS | SUFFIXES
_NOT_A_NAME = KINSHIP | BIRTH_ORDER


def name_forms(names: Sequence[str]) -> NameForms:
    """The comparable forms of one record's names and aliases.

    Each name is cleaned before its words are taken: text in brackets, a leading title or
    form of address ("Anh", "Chị", "พี่", "Kuya", "Bang", "Mr"), trailing descriptions
    ("print shop", "tài xế") and symbols are dropped; a name that is only a kinship or
    role word ("Mẹ", "แม่", "Mom", "Anh Hai") is not usable. Words are folded (accents
    dropped, case-folded) and other scripts transliterated to Latin letters; single
    letters are initials, not words. Names given more than once count once.

    Returns:
        The forms; :data:`EMPTY` (key None, empty tuples) when no name is usable.
    """
    parsed = [p for p in map(_parse_name, names) if p is not None]
    if not parsed:
        return EMPTY
    if len(parsed) == 1:
        return parsed[0]
    # Several names: the keys are the first name's that has one; the rest are unions.
    first = next((p for p in parsed if p.key is not None), None)
    return NameForms(
        key=first.key if first else None,
        short_key=first.short_key if first else None,
        keys=_union(p.keys for p in parsed),
        tokens=_union(p.tokens for p in parsed),
        initials=_union(p.initials for p in parsed),
        letters=_union(p.letters for p in parsed),
        skeletons=_union(p.skeletons for p in parsed),
        block_keys=_union(p.block_keys for p in parsed),
    )


def _union(parts: Iterable[tuple[str, ...]]) -> tuple[str, ...]:
    merged: set[str] = set()
    for part in parts:
        merged.update(part)
    return tuple(sorted(merged))


@lru_cache(maxsize=_NAME_CACHE)
def _parse_name(raw: str) -> NameForms | None:
    """One name's forms, or None when it holds no name (empty, a kinship word...)."""
    words, title = _name_words(raw)
    if not words:
        return None
    parts: list[str] = []
    split_form: list[str] = []  # the name with joined given names split into syllables
    for word in words:
        word_parts = _word_tokens(word)
        parts.extend(word_parts)
        camel = _camel_parts(word)
        if camel:  # "KokLeong", "YiMei": the capitals mark the syllables
            split_form.extend(camel)
            continue
        for token in word_parts:
            if len(token) > 1:
                split_form.extend(_pinyin_split(token) or (token,))
    multi = [t for t in parts if len(t) > 1]
    initials = _sorted(t[0] for t in parts)
    letters = _sorted(t for t in parts if len(t) == 1)
    if not multi:
        return NameForms(None, (), (), initials, (), (), letters=letters) if parts else None
    key = " ".join(sorted(multi))
    # The words run together as written: "Boon Kok" is also written "Boonkok".
    keys = {key, "".join(multi)}
    tokens = set(multi)
    tokens.update(split_form)
    for token in multi:
        full = NICKNAMES.get(token)
        if full:
            tokens.update(full)
    forms = [multi]
    if split_form != multi:
        # "Lim Weijie" is also written "Lim Wei Jie": the same name, another form.
        keys.add(" ".join(sorted(split_form)))
        forms.append(split_form)
    core = [_core_token(t) for t in split_form if t not in OPTIONAL_PARTS]
    if core and core != split_form:
        # For blocking only: "Trần Thị Hạnh" meets "Trần Hạnh", "Dela Cruz" "Delacruz".
        forms.append(core)
    # Adjacent words joined: "Wei Jie" meets "Weijie", "Marc-André" meets "Marcandre".
    for a, b in pairwise(parts):
        if len(a) > 1 and len(b) > 1:
            tokens.add(a + b)
    if not all(map(_is_latin, words)):
        # The name as written in its own script, for exact matches between such records.
        keys.add(" ".join(sorted(map(_fold_word, words))))
    # English-style spellings of Thai end a syllable said -at in -art (Apichart for
    # อภิชาติ, Aphichat), but a written r can be said too (Prasert, ประเสริฐ): both
    # readings are kept.
    forms += [silent for form in forms if (silent := _silent_r(form)) != form]
    tokens.update(_SILENT_R.sub("t", token) for token in list(tokens))
    skeletons: set[str] = set()
    for token in tokens:
        skeletons.update(_skeletons(token))
    if title is not None:
        # A leading word dropped as a title can be a given name on another record: "น้อง
        # ใจดี" is JAIDEE, NONG on her passport. For blocking (and "sound alike") only.
        forms.append([*multi, *(t for t in _word_tokens(title) if len(t) > 1)])
    blocks = {" ".join(sorted(filter(None, map(_skeleton, form)))) for form in forms}
    blocks.discard("")
    return NameForms(
        key=key,
        short_key=" ".join(sorted((multi[0], multi[-1]))) if len(multi) > 1 else None,
        keys=_sorted(keys),
        tokens=_sorted(tokens),
        initials=initials,
        letters=letters,
        skeletons=_sorted(skeletons),
        block_keys=_sorted(blocks),
    )


def _sorted(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(values if isinstance(values, set) else set(values)))


def _name_words(raw: str) -> tuple[list[str], str | None]:
    """The words of a name that name the person: brackets, titles, descriptions dropped.

    Returns the words (none when nothing is left or when what is left is only kinship)
    and the one leading title or kinship word dropped, if exactly one was ("Nong" of
    "Nong Jaidee"), else None.
    """
    text = raw if raw.isascii() else unicodedata.normalize("NFKC", raw)
    if _BRACKET_OPEN.search(text):
        text = _BRACKETED.sub(" ", text)
    words: list[str] = []
    folded: list[str] = []
    for word in _WORD_SEPARATORS.split(text):
        form = _fold_word(word)
        if form:  # words of symbols only (emoji, "-") are not words
            words.append(word)
            folded.append(form)
    if not words:
        return [], None
    # Descriptions first ("Anh Bảo tài xế" is Anh Bảo), then the title before the name.
    while len(folded) > 1:
        if len(folded) > 2 and (folded[-2], folded[-1]) in DESCRIPTOR_PHRASES:
            del words[-2:], folded[-2:]
        elif folded[-1] in _TRAILING:
            del words[-1], folded[-1]
        else:
            break
    addressed = False  # a title or kinship word led the name
    dropped: list[str] = []
    while len(folded) > 1:
        first = folded[0]
        if len(folded) > 2 and (first, folded[1]) in HONORIFIC_PHRASES:
            dropped += words[:2]
            del words[:2], folded[:2]
        elif first in _LEADING and (len(folded) == 2 or first not in NAME_TITLES):
            dropped.append(words[0])
            del words[0], folded[0]
        else:
            break
        addressed = True
    if folded[0] not in KINSHIP:
        rest = _thai_untitled(folded[0])
        if rest is not None:
            words[0] = folded[0] = rest
            addressed = True
    # Only kinship left ("Mẹ", "Kuya"), or a form of address completed by a birth-order
    # word ("Anh Hai", "พี่ชาย ใหญ่", "Con gái"): no name.
    if _NOT_A_NAME.issuperset(folded) and (addressed or not KINSHIP.isdisjoint(folded)):
        return [], None
    return words, dropped[0] if len(dropped) == 1 else None


def _thai_untitled(word: str) -> str | None:
    """``word`` without a Thai title written joined to it ("พี่มาลี" -> "มาลี"), or None.

    The rest must begin as a Thai word can (a consonant or a leading vowel), so that a
    name that merely starts with the same letters ("คุณากร") is left alone.
    """
    if not word or ord(word[0]) not in _THAI:
        return None
    for title in THAI_JOINED_TITLES:
        if word.startswith(title) and len(word) > len(title) + 1:
            rest = word[len(title) :]
            if rest[0] in _THAI_WORD_STARTS and rest not in KINSHIP:
                return rest
    return None


@lru_cache(maxsize=_CACHE)
def _fold_word(word: str) -> str:
    """A word as the tables hold it: NFC, case-folded, letters, marks and digits only.

    Marks stay (after a letter) so that "chị" and "chi" stay apart and Thai and Bengali
    vowel signs are kept; marks alone (an emoji's variation selector) go.
    """
    if word.isascii():
        return _NOT_ASCII_ALNUM.sub("", word.casefold())
    out: list[str] = []
    after_letter = False
    for ch in unicodedata.normalize("NFC", word).casefold():
        if ch.isalnum():
            out.append(ch)
            after_letter = True
        elif after_letter and unicodedata.category(ch)[0] == "M":
            out.append(ch)
        else:
            after_letter = False
    return "".join(out)


@lru_cache(maxsize=_CACHE)
def _is_latin(word: str) -> bool:
    """Whether every letter of ``word`` is a Latin letter (accented or not)."""
    return word.isascii() or all(
        ord(ch) < _LATIN_END or ord(ch) in _LATIN_ADDITIONAL for ch in word if ch.isalpha()
    )


@lru_cache(maxsize=_CACHE)
def _word_tokens(word: str) -> tuple[str, ...]:
    """The folded Latin tokens of one word, single letters (initials) included.

    Known abbreviations become the name they stand for ("Md" -> mohammad, "Ma." -> maria);
    a word of two or three capitals without a vowel ("JL") is a run of initials. Numbers
    are not names and are dropped. Parts joined by hyphens, apostrophes or full stops are
    tokens of their own ("Marc-André" -> marc, andre), but a one-letter elision stays on
    its word ("O'Brien" -> obrien).
    """
    folded = _fold_word(word)
    full = ABBREVIATIONS.get(folded)
    if full is None and word.endswith("."):
        full = DOTTED_ABBREVIATIONS.get(folded)
    if full is not None:
        return (full,)
    if (
        2 <= len(word) <= 3
        and word.isascii()
        and word.isalpha()
        and word.isupper()
        and folded != "ng"  # Ng is a surname (and short for Nguyen), not N. G.
        and not any(ch in "aeiouy" for ch in folded)
    ):
        return tuple(folded)
    tokens: list[str] = []
    for part in _PART_SEPARATORS.split(_ELISION.sub("", word)):
        for token in _fold_part(part):
            if token and not token.isdigit():
                tokens.append(token)
    return tuple(tokens)


def _fold_part(part: str) -> list[str]:
    """One part of a word in folded Latin letters (several for Chinese characters)."""
    text = _fold_word(part)  # symbols and emoji out first: anyascii spells them out
    if text.isascii():
        return [text]
    # Latin with accents: NFKD, marks dropped ("tuấn" -> "tuan", "đức" -> "duc").
    bare = "".join(
        ch
        for ch in unicodedata.normalize("NFKD", text.translate(_LATIN_EXTRA))
        if not unicodedata.combining(ch)
    )
    if bare.isascii():
        return [_NOT_ASCII_ALNUM.sub("", bare)]
    # Other letters (ß, ø, Thai, Bengali, Chinese...): transliterate the word as written,
    # whose marks are vowels in Thai and Bengali.
    if any(ord(ch) in _THAI for ch in text):
        text = _thai_spoken_order(text)
    latin = _CAMEL_BOUNDARY.sub(" ", anyascii(text))
    return [_NOT_ASCII_ALNUM.sub("", t) for t in latin.casefold().split()]


def _thai_spoken_order(text: str) -> str:
    """Thai text with silent letters dropped, vowels moved to where they are said and
    final consonants written as they sound."""
    text = _THAI_SILENT.sub("", text)
    text = _THAI_RO_HAN.sub("\u0e31", text)
    text = _THAI_RO_HAN_FINAL.sub("\u0e31น", text)
    text = _THAI_TONE_H.sub("", text)
    text = _THAI_LEADING_VOWEL.sub(r"\2\1", text)
    text = _THAI_VOWEL_W.sub("\u0e39", text)
    return _THAI_FINAL.sub(_thai_final_sound, text)


def _thai_final_sound(match: re.Match[str]) -> str:
    letter = match.group()
    return _THAI_FINAL_SOUND.get(letter, letter)


def _core_token(token: str) -> str:
    """``token`` without a particle joined to its front ("delacruz" -> "cruz")."""
    if token[0] == "d":
        for particle, rest in JOINED_PARTICLES:
            if token.startswith(particle) and len(token) - len(particle) >= rest:
                return token[len(particle) :]
    return token


@lru_cache(maxsize=_CACHE)
def _camel_parts(word: str) -> tuple[str, ...]:
    """The tokens of a Latin word written in joined capitalised parts ("KokLeong" ->
    kok, leong), or () when it is not one (or a part would be a single letter)."""
    if word.isupper() or word.islower() or not _is_latin(word):
        return ()
    cuts = [i for i in range(1, len(word)) if word[i].isupper() and word[i - 1].islower()]
    if not cuts:
        return ()
    pieces = [word[i:j] for i, j in pairwise([0, *cuts, len(word)])]
    tokens = [t for piece in pieces for t in _word_tokens(piece)]
    return tuple(tokens) if len(tokens) > 1 and all(len(t) > 1 for t in tokens) else ()


@lru_cache(maxsize=_CACHE)
def _pinyin_split(token: str) -> tuple[str, ...]:
    """A joined Chinese given name split into its pinyin syllables ("weijie" -> wei, jie).

    Only where the split is plain: every syllable has an initial consonant and at least
    three letters (or is one of the few two-letter syllables only pinyin spells), no
    syllable ends with the letter the next begins with, and the token splits in exactly
    one way. Otherwise ().
    """
    if len(token) < _MIN_SPLIT or not token.isalpha():
        return ()
    splits = _segment(token)
    if len(splits) != 1 or len(splits[0]) < 2:
        return ()
    return splits[0]


def _segment(text: str) -> list[tuple[str, ...]]:
    """Ways to cut ``text`` into syllables :func:`_pinyin_split` accepts (stops at 2)."""
    found: list[tuple[str, ...]] = []
    for end in range(2, min(_MAX_SYLLABLE, len(text)) + 1):
        head = text[:end]
        if end < _MIN_SYLLABLE:
            if head not in PINYIN_SHORT_SYLLABLES:
                continue
        elif head not in PINYIN_SYLLABLES:
            continue
        if end == len(text):
            found.append((head,))
        elif text[end] != head[-1]:  # a doubled letter spells English (Manning), not pinyin
            found.extend((head, *tail) for tail in _segment(text[end:]))
        if len(found) > 1:
            break
    return found


def _silent_r(form: list[str]) -> list[str]:
    """`form` with each word's final -rt after a vowel read as -t."""
    return [_SILENT_R.sub("t", token) for token in form]


@lru_cache(maxsize=_CACHE)
def _skeletons(token: str) -> tuple[str, ...]:
    """The skeletons of a token: its own, and for a token spelt as anyascii spells Thai
    with the vowel แ or ใ/ไ first ("aekwmni" for แก้วมณี, Kaewmanee), also the skeleton
    read with that vowel after its consonant. Only before two consonants, as the Thai
    spelling has no vowel there and Latin names seldom start so."""
    own = _skeleton(token)
    if (
        token[:2] in _THAI_LEADING_SPELLINGS
        and len(token) > 3
        and token[2] not in _VOWELS_Y
        and token[3] not in _VOWELS_Y
    ):
        moved = _skeleton(token[2] + token[:2] + token[3:])
        if moved and moved != own:
            return (own, moved) if own else (moved,)
    return (own,) if own else ()


@lru_cache(maxsize=_CACHE)
def _skeleton(token: str) -> str | None:
    """A phonetic consonant skeleton of a folded token, or None when under 2 letters.

    Vowels are dropped: romanisations of Thai and Bengali leave out the vowels the script
    does not write ("smchay" for Somchai, "rhim" for Rahim), and vowel spellings vary most
    (Mohammad/Muhammad, Thongdee/thongdi). A word that starts with a vowel keeps one
    placeholder "a" for it, so Anh and Nh- names stay apart; a one-consonant word ending
    in a vowel keeps it the same way ("jie" -> "ca"). Doubled letters are one; aspiration
    h after a stop is dropped; w and y between a vowel and a consonant are vowels
    (Chowdhury/Choudhury, Somchai/smchay).
    """
    s = token.encode().translate(_SKELETON_LETTERS).decode()
    if token[-1] == "z":
        s = s[:-1] + "s"  # a final z is s (Gonzalez/Gonzales), elsewhere it is j
    if "h" in s:
        s = _ASPIRATION.sub("", s)
        if len(s) > 2 and s[-1] == "h" and s[-2] in _VOWELS:
            s = s[:-1]  # final h after a vowel is silent: Miah/Mia, Shah
    # After the h are gone, so that "tth" and "thth" (Yuttana, ยุทธนา) are one t.
    s = _DOUBLED.sub("", s)
    if s.endswith("rn") and len(s) > 2 and s[-3] in _VOWELS:
        s = s[:-2] + "n"  # Thai -orn is said -on: Rattanakorn/Rattanakon, Somporn
    if "w" in s:
        s = _CLOSING_W.sub("", s)
    first = s[0]
    rest = s[1:].encode().translate(None, _VOWEL_BYTES).decode()
    # y starts a syllable only at the start of a word before a vowel (Yai, Yusuf).
    if first in _VOWELS or (first == "y" and not (len(s) > 1 and s[1] in _VOWELS)):
        out = "a" + rest
    else:
        out = first + rest
        if not rest and s[-1] in _VOWELS_Y:
            out += "a"
    return out if len(out) >= 2 else None

"""German word forms for the site search, the same on every database.

Every word is reduced to its stem by Snowball's German algorithm ("Planungsgemeinschaften" and
"Planungsgemeinschaft" both become "planungsgemeinschaft", "Beiräte" becomes "beirat"): the stems
PostgreSQL's "german" configuration stores in the search vectors, and the ones the `search_stems`
column holds on other databases. A searched word matches every stored stem that begins with its
own stem, so "Sozialplanung" also finds "Sozialplanungsbericht". Snowball keeps the "i" of nouns in
"-ie" ("Demografie": "demografi", "Strategie": "strategi") which the adjectives of the same word
lose ("demografischer": "demograf", "strategisch": "strateg"), so a searched stem drops that "i".
Words shorter than MIN_PREFIX letters match only whole stems, so that "Al" does not find every
word that begins with it; stop words ("der", "und") are left out on both sides.
"""

import html
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import snowballstemmer
from django.utils.html import escape
from django.utils.safestring import mark_safe

MIN_PREFIX = 3
MAX_TERMS = 8
SNIPPET_WORDS = 30
WORDS_BEFORE_MATCH = 6
# Letters and digits; hyphens and punctuation separate words, as PostgreSQL's parser does.
WORD = re.compile(r"[^\W_]+")
TAG = re.compile(r"<[^>]+>")

STOP_WORDS = frozenset(
    line.strip()
    for line in Path(__file__).with_name("german_stopwords.txt").read_text("utf-8").splitlines()
    if line.strip() and not line.startswith("#")
)

# A Snowball stemmer keeps the word it works on in itself: one per thread.
_local = threading.local()


@lru_cache(maxsize=100_000)
def stem(word):
    """The Snowball stem of a lower-case word."""
    if not hasattr(_local, "stemmer"):
        _local.stemmer = snowballstemmer.stemmer("german")
    return _local.stemmer.stemWord(word)


def words(text):
    """The lower-case words of a text that count for the search (no stop words)."""
    return [word for word in WORD.findall(text.lower()) if word not in STOP_WORDS]


def plain(value, is_html=False):
    """A field's text without tags, as the database's search vector reads it."""
    text = str(value or "")
    return html.unescape(TAG.sub(" ", text)) if is_html else text


@dataclass(frozen=True)
class Term:
    stem: str
    prefix: bool
    word: str = ""  # as searched, for the database's own stemmer

    def matches(self, other_stem):
        return other_stem.startswith(self.stem) if self.prefix else other_stem == self.stem


def query_terms(query):
    """The terms of a query, each of which a hit has to contain."""
    terms = []
    for word in words(query):
        word_stem = stem(word)
        if len(word_stem) > MIN_PREFIX + 1 and word_stem.endswith("i"):
            word_stem = word_stem[:-1]
        if word_stem not in (term.stem for term in terms):
            terms.append(Term(word_stem, prefix=len(word_stem) >= MIN_PREFIX, word=word))
    return terms[:MAX_TERMS]


def stems_text(texts):
    """The distinct stems of the texts in order, between spaces: " planungsgemeinschaft nord "."""
    stems = dict.fromkeys(stem(word) for text in texts for word in words(text))
    return f" {' '.join(stems)} " if stems else ""


def passages(text, terms, limit=3):
    """Up to `limit` passages of about SNIPPET_WORDS words around the matches of the text, in the
    order they appear, with the matched words marked."""
    tokens = list(WORD.finditer(text))
    matched = [
        i
        for i, token in enumerate(tokens)
        if token.group().lower() not in STOP_WORDS
        and any(term.matches(stem(token.group().lower())) for term in terms)
    ]
    found, end = [], -1
    for i in matched:
        if i < end:
            continue
        start = max(0, i - WORDS_BEFORE_MATCH)
        end = start + SNIPPET_WORDS
        found.append(_passage(text, tokens, start, end, set(matched)))
        if len(found) == limit:
            break
    return found


def beginning(text):
    """The first SNIPPET_WORDS words of the text, or nothing."""
    tokens = list(WORD.finditer(text))
    return [_passage(text, tokens, 0, SNIPPET_WORDS, set())] if tokens else []


def _passage(text, tokens, start, end, marked):
    end = min(end, len(tokens))
    parts = ["… " if start else ""]
    # Escaping works letter by letter: the text between two marked words is escaped in one piece.
    position = tokens[start].start()
    for i in sorted(i for i in marked if start <= i < end):
        token = tokens[i]
        parts.append(escape(text[position : token.start()]))
        parts.append(f"<mark>{escape(token.group())}</mark>")
        position = token.end()
    parts.append(escape(text[position : tokens[end - 1].end()]))
    tail = text[tokens[end - 1].end() :]
    if end < len(tokens):
        parts.append(" …")
    elif tail.strip():
        parts.append(escape(tail.strip()))
    # Every piece of the text is escaped; only our own <mark> elements are added.
    return mark_safe("".join(parts))  # nosec B308 B703

"""The checks of a text in Leichte Sprache that a machine can make (DIN SPEC 33429; the rules of
the Netzwerk Leichte Sprache): short sentences, and long words split with the Mediopunkt.

They only warn: whether a text is easy to read, readers from the target group decide.
"""

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from django.utils.translation import gettext as _

MEDIOPUNKT = "\u00b7"
# A sentence has at most this many words.
MAX_SENTENCE_WORDS = 15
# A noun of this many letters or more is taken for a compound that wants a Mediopunkt.
LONG_WORD_LETTERS = 13

# Elements that end a sentence where they end, with or without a full stop: a heading, a list
# item, a paragraph.
_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "blockquote", "br", "div"}
# Words, with the Mediopunkt and the hyphen inside a word kept: "Sozial·planung" is one word.
_WORD = re.compile(rf"\w+(?:[{MEDIOPUNKT}\-]\w+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+")
_EXCERPT_WORDS = 8


@dataclass(frozen=True)
class EasyReadWarning:
    kind: str  # "sentence" or "word"
    text: str  # the sentence or the word
    words: int = 0

    @property
    def message(self):
        if self.kind == "sentence":
            excerpt = " ".join(self.text.split()[:_EXCERPT_WORDS])
            return _(
                "Satz mit %(count)d Wörtern (höchstens %(limit)d): „%(excerpt)s …“ – teilen Sie "
                "ihn in kurze Sätze mit je einer Aussage."
            ) % {"count": self.words, "limit": MAX_SENTENCE_WORDS, "excerpt": excerpt}
        return _(
            "Langes Wort ohne Medio·punkt: „%(word)s“ – trennen Sie es zwischen seinen Teilen, "
            "z. B. „Sozial·planung“."
        ) % {"word": self.text}


class _Blocks(HTMLParser):
    """The text of HTML, one string per block (paragraph, heading, list item)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks, self.current = [], []

    def handle_starttag(self, tag, attrs):
        if tag in _BLOCKS:
            self.flush()

    def handle_endtag(self, tag):
        if tag in _BLOCKS:
            self.flush()

    def handle_data(self, data):
        self.current.append(data)

    def flush(self):
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append(text)
        self.current = []


def sentences(html):
    """The sentences of a text given as HTML (plain text is HTML too)."""
    parser = _Blocks()
    parser.feed(html)
    parser.close()
    parser.flush()
    return [part for block in parser.blocks for part in _SENTENCE_END.split(block) if part]


def is_unsplit_compound(word):
    """A noun long enough to be a compound, written without a Mediopunkt or hyphen."""
    return (
        word[:1].isupper()
        and not word.isupper()  # an abbreviation
        and MEDIOPUNKT not in word
        and "-" not in word
        and sum(char.isalpha() for char in word) >= LONG_WORD_LETTERS
    )


def check_easy_read(*texts):
    """What a machine sees against the rules in the given texts (HTML or plain), in order:
    sentences over MAX_SENTENCE_WORDS words and long words without a Mediopunkt, each once."""
    warnings, seen = [], set()
    for text in texts:
        for sentence in sentences(text or ""):
            words = _WORD.findall(sentence)
            if len(words) > MAX_SENTENCE_WORDS:
                warnings.append(EasyReadWarning("sentence", sentence, len(words)))
            for word in words:
                if word not in seen and is_unsplit_compound(word):
                    seen.add(word)
                    warnings.append(EasyReadWarning("word", word))
    return warnings

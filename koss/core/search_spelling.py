"""Spelling suggestions of the site search ("Meinten Sie: Sozialplanung?"), the same on every
database.

The words of every searchable text are kept in one table (`SearchWord`, lower case, letters only,
at least MIN_LENGTH long). A searched word the table does not know is compared with the known words
of the same first two letters and a similar length; the closest one (by edit distance, a swap of
two neighbouring letters counting as one edit) within MAX_EDITS is suggested. Everything after
reading the candidates happens here in Python, so that SQLite and PostgreSQL suggest the same
word.
"""

from .search_words import WORD, words

MIN_LENGTH = 5  # shorter words resemble too many others
HEAD = 2  # letters a typing error is assumed not to touch
MAX_LENGTH = 60  # longer "words" are no words (URLs, codes)


def max_edits(word):
    return 1 if len(word) < 8 else 2


def indexable(word):
    return MIN_LENGTH <= len(word) <= MAX_LENGTH and word.isalpha()


def known_words(texts):
    """The distinct words of the texts worth suggesting, lower case."""
    return {word for text in texts for word in words(text) if indexable(word)}


def candidate_filter(word):
    """The (head, shortest, longest) of the known words that may be a word's correct spelling."""
    edits = max_edits(word)
    return word[:HEAD], len(word) - edits, len(word) + edits


def distance(a, b, limit):
    """The optimal string alignment distance of a and b, or limit + 1 once it is certain to exceed
    limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2, previous = None, list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, 1):
            cost = char_a != char_b
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def closest(word, candidates):
    """The candidate closest to the word within its allowed edits (fewest edits, then the same
    length, then alphabetical), or None."""
    limit = max_edits(word)
    scored = sorted(
        (distance(word, candidate, limit), abs(len(candidate) - len(word)), candidate)
        for candidate in candidates
        if candidate != word
    )
    return scored[0][2] if scored and scored[0][0] <= limit else None


def corrected(query, replacements):
    """The query with each replaced word in its searched capitalisation, the rest as typed."""

    def replace(match):
        found = match.group()
        new = replacements.get(found.lower())
        if not new:
            return found
        return new[0].upper() + new[1:] if found[0].isupper() else new

    return WORD.sub(replace, query)

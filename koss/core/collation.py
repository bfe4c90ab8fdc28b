"""German alphabetical order (DIN 5007, variant 1) for lists of names, on PostgreSQL and SQLite.

Names are sorted as German readers expect: ä, ö and ü as a, o and u, ß as ss, regardless of
case ("Sömmerda" before "Suhl"). Name fields declare `db_collation=GERMAN`, so every ordering by
them (the models' default ordering, the admin's sortable columns, the indexes) uses it without
further code:

- on PostgreSQL it is an ICU collation, created by the migration koss/0006_german_collation;
- SQLite has no ICU, so each of its connections gets a collation of the same name comparing the
  keys of `german_sort_key()` (registered in KossConfig.ready()).

Python code that sorts names itself uses `german_sort_key()` too.
"""

import unicodedata
from functools import lru_cache

GERMAN = "german"


@lru_cache(maxsize=16384)
def german_sort_key(text):
    """Letters without their diacritics and case first; then the diacritics ("Muller" before
    "Müller"), then the case (lower before upper, as ICU does) and the text itself, so that only
    equal texts compare equal."""
    folded = unicodedata.normalize("NFD", text.casefold())
    base = "".join(char for char in folded if not unicodedata.combining(char))
    return (base, folded, text.swapcase(), text)


def compare_german(left, right):
    """SQLite's collation callback: negative, zero or positive, like cmp()."""
    left_key, right_key = german_sort_key(left), german_sort_key(right)
    return (left_key > right_key) - (left_key < right_key)


def register_german_collation(sender, connection, **kwargs):
    """connection_created receiver: SQLite connections learn the collation PostgreSQL has."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(GERMAN, compare_german)

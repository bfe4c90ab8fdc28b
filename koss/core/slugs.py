"""Slugs for German names: "KOSS lädt ein" becomes "koss-laedt-ein", not "koss-ladt-ein"."""

from django.utils.text import slugify

# Django's slugify drops the diacritics (ä → a), which reads wrong in German addresses.
GERMAN_LETTERS = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "ẞ": "SS"}
)


def slugify_german(value):
    return slugify(str(value).translate(GERMAN_LETTERS))

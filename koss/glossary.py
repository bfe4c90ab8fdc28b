"""The first use of each word of the glossary on a page links to its explanation.

`link_terms()` does it to a page's HTML: only in running text (never in headings, links, form
controls, code or the page's frame), whole words only, German endings included ("Beirats",
"freien Trägern"), and without changing a byte of the HTML around it. `link_first_uses()` gives
it the published terms and keeps its result like a part of a page, per content generation.
"""

import re
from functools import lru_cache
from html import escape

from django.urls import reverse

from .core.cache import kept_value

# Endings of German nouns and adjectives after the form as written: "Beirat·s", "Träger·n",
# "frei·en". Forms whose stem changes ("Beiräte", "Kreisligen") staff list themselves.
_ENDINGS = r"(?:n|r|s|e|en|em|er|es|ns|nen|ern)?"
# Running text inside these is left as it is.
_SKIPPED = {
    "a",
    "abbr",
    "button",
    "code",
    "dfn",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "label",
    "option",
    "pre",
    "script",
    "select",
    "style",
    "summary",
    "svg",
    "textarea",
    "title",
}


def form_pattern(form):
    """The regular expression of a written form, each of its words with German endings."""
    words = form.split()
    return r"\s+".join(re.escape(word) + _ENDINGS for word in words)


@lru_cache(maxsize=8)
def _compiled(terms):
    alternatives = []
    for number, (_url, forms) in enumerate(terms):
        for form in forms:
            name = f"t{number}_{len(alternatives)}"
            alternatives.append((len(form), f"(?P<{name}>{form_pattern(form)})"))
    if not alternatives:
        return None
    alternatives.sort(key=lambda item: -item[0])
    body = "|".join(pattern for _length, pattern in alternatives)
    # The first letters first: most places of a text are rejected by one look at a character.
    initials = {form[0] for _url, forms in terms for form in forms}
    first = "".join(
        sorted({char for initial in initials for char in (initial.lower(), initial.upper())})
    )
    return re.compile(rf"(?=[{re.escape(first)}])(?<![\w·-])(?:{body})(?![\w·-])", re.IGNORECASE)


def compile_terms(terms):
    """One expression for all terms, the longest forms first, each form in a group named after
    its term's position: [(url, [form, …]), …] → pattern (None without terms)."""
    return _compiled(tuple((url, tuple(forms)) for url, forms in terms))


# The markup of a page, token by token: comments, declarations and tags (quoted attribute values
# may hold ">"); the text between them is what gets linked.
_MARKUP = re.compile(
    r"""<!--.*?-->|<![^>]*>|<\?[^>]*>|</?[A-Za-z][^\s/>]*(?:[^>"']|"[^"]*"|'[^']*')*>""",
    re.DOTALL,
)
_TAG_NAME = re.compile(r"<(/?)([A-Za-z][^\s/>]*)")


def link_terms(html, terms):
    """`html` with the first use of each term linked to its URL: terms as [(url, [form, …]), …].
    Everything else stays as it was, byte for byte."""
    pattern = compile_terms(terms)
    if pattern is None:
        return html
    urls = [url for url, _forms in terms]
    linked, skipping, out = set(), [], []

    def link(match):
        term = int(match.lastgroup[1:].split("_")[0])
        if term in linked:
            return match.group()
        linked.add(term)
        return f'<a class="term" href="{escape(urls[term])}">{match.group()}</a>'

    position = 0
    for token in _MARKUP.finditer(html):
        text = html[position : token.start()]
        out.append(text if skipping or len(linked) == len(urls) else pattern.sub(link, text))
        out.append(token.group())
        position = token.end()
        name = _TAG_NAME.match(token.group())
        if name is None:
            continue
        closing, tag = name.group(1), name.group(2).lower()
        if tag not in _SKIPPED:
            continue
        if closing:
            # Up to the element that ends here, as a browser closes what was left open.
            while skipping and skipping.pop() != tag:
                pass
        elif not token.group().endswith("/>"):
            skipping.append(tag)
    text = html[position:]
    out.append(text if skipping else pattern.sub(link, text))
    return "".join(out)


def published_terms():
    """The published terms as link_terms() takes them, read once per content generation."""
    from .models import Term

    def load():
        base = reverse("glossary")
        return [
            (f"{base}#{term.slug}", term.written_forms)
            for term in Term.objects.published().only("name", "slug", "forms")
        ]

    return kept_value(["glossary-terms"], load)


def link_first_uses(html):
    """`html` with the first use of each published term linked to the glossary; kept per
    content generation, so a page rendered again costs one read of the cache."""
    return kept_value(["glossary-html", html], lambda: link_terms(html, published_terms()))

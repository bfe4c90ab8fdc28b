"""The first use of each word of the glossary on a page links to its explanation.

`link_terms()` does it to a page's HTML: only in running text (never in headings, links, form
controls, code or the page's frame), whole words only, German endings included ("Beirats",
"freien Trägern"), and without changing a byte of the HTML around it. `link_first_uses()` gives
it the published terms and keeps its result like a part of a page, per content generation.
"""

import hashlib
import re
from html import escape
from html.parser import HTMLParser

from django.conf import settings
from django.urls import reverse

from .core.cache import cache, current_generation

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
_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "wbr",
}


def form_pattern(form):
    """The regular expression of a written form, each of its words with German endings."""
    words = form.split()
    return r"\s+".join(re.escape(word) + _ENDINGS for word in words)


def compile_terms(terms):
    """One expression for all terms, the longest forms first: [(url, [form, …]), …] → (pattern,
    urls by group name)."""
    alternatives = []
    for number, (_url, forms) in enumerate(terms):
        for form in forms:
            alternatives.append(
                (len(form), f"(?P<t{number}_{len(alternatives)}>{form_pattern(form)})")
            )
    if not alternatives:
        return None
    alternatives.sort(key=lambda item: -item[0])
    body = "|".join(pattern for _length, pattern in alternatives)
    return re.compile(rf"(?<![\w·-])(?:{body})(?![\w·-])", re.IGNORECASE)


class _Linker(HTMLParser):
    def __init__(self, pattern, urls):
        super().__init__(convert_charrefs=False)
        self.pattern, self.urls = pattern, urls
        self.out, self.skipping, self.linked = [], [], set()

    def handle_starttag(self, tag, attrs):
        self.out.append(self.get_starttag_text())
        if tag in _SKIPPED and tag not in _VOID:
            self.skipping.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        if tag in self.skipping:
            # Up to the element that ends here, as a browser closes what was left open.
            while self.skipping and self.skipping.pop() != tag:
                pass
        self.out.append(f"</{tag}>")

    def handle_data(self, data):
        if self.skipping or self.cdata_elem:
            self.out.append(data)
        else:
            self.out.append(self.pattern.sub(self.link, data))

    def link(self, match):
        term = int(match.lastgroup[1:].split("_")[0])
        if term in self.linked:
            return match.group()
        self.linked.add(term)
        url = escape(self.urls[term])
        return f'<a class="term" href="{url}">{match.group()}</a>'

    def handle_entityref(self, name):
        self.out.append(f"&{name};")

    def handle_charref(self, name):
        self.out.append(f"&#{name};")

    def handle_comment(self, data):
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl):
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data):
        self.out.append(f"<?{data}>")

    def unknown_decl(self, data):
        self.out.append(f"<![{data}]>")


def link_terms(html, terms):
    """`html` with the first use of each term linked to its URL: terms as [(url, [form, …]), …]."""
    pattern = compile_terms(terms)
    if pattern is None:
        return html
    linker = _Linker(pattern, [url for url, _forms in terms])
    linker.feed(html)
    linker.close()
    # An unfinished tag at the very end stays in the parser; it is given back unchanged.
    return "".join(linker.out) + linker.rawdata


def published_terms():
    """The published terms as link_terms() takes them, read once per content generation."""
    from .models import Term

    def load():
        base = reverse("glossary")
        return [
            (f"{base}#{term.slug}", term.written_forms)
            for term in Term.objects.published().only("name", "slug", "forms")
        ]

    seconds = settings.KOSS_FRAGMENT_CACHE_SECONDS
    if seconds <= 0:
        return load()
    return cache.get_or_set(f"koss:glossary:terms:{current_generation()}", load, seconds)


def link_first_uses(html):
    """`html` with the first use of each published term linked to the glossary; kept per
    content generation, so a page rendered again costs one read of the cache."""
    seconds = settings.KOSS_FRAGMENT_CACHE_SECONDS
    if seconds <= 0:
        return link_terms(html, published_terms())
    digest = hashlib.sha256(f"{current_generation()}\x00{html}".encode()).hexdigest()
    return cache.get_or_set(
        f"koss:glossary:html:{digest}", lambda: link_terms(html, published_terms()), seconds
    )

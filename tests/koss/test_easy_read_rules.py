"""The rules of Leichte Sprache a machine can check: sentences of at most 15 words, long words
split with the Mediopunkt."""

from koss.easy_read import MAX_SENTENCE_WORDS, check_easy_read, is_unsplit_compound, sentences


def kinds(*texts):
    return [(warning.kind, warning.text) for warning in check_easy_read(*texts)]


def test_a_sentence_of_fifteen_words_passes_and_one_of_sixteen_is_flagged():
    fifteen = " ".join(["Wort"] * 14) + " Ende."
    sixteen = " ".join(["Wort"] * 15) + " Ende."
    assert kinds(fifteen) == []
    [warning] = check_easy_read(sixteen)
    assert (warning.kind, warning.words) == ("sentence", 16)
    assert "16 Wörtern" in warning.message and f"höchstens {MAX_SENTENCE_WORDS}" in warning.message


def test_sentences_end_at_punctuation_and_at_blocks():
    html = "<h2>Was ist KOSS</h2><p>KOSS berät. Es plant nicht selbst!</p><ul><li>Eins</li></ul>"
    assert sentences(html) == ["Was ist KOSS", "KOSS berät.", "Es plant nicht selbst!", "Eins"]
    # A long list item is one long sentence, even without a full stop.
    assert kinds("<ul><li>" + "Wort " * 16 + "</li></ul>")[0][0] == "sentence"


def test_words_joined_by_the_mediopunkt_count_once():
    text = " ".join(["Sozial·planung"] * 15) + "."
    assert kinds(text) == []


def test_long_nouns_without_mediopunkt_are_flagged_once_each():
    assert kinds("<p>Die Sozialplanung hilft. Die Sozialplanung plant.</p>") == [
        ("word", "Sozialplanung")
    ]
    message = check_easy_read("Wohlfahrtspflege")[0].message
    assert "„Wohlfahrtspflege“" in message and "Medio·punkt" in message


def test_split_short_lowercase_and_abbreviated_words_pass():
    assert not is_unsplit_compound("Sozial·planung")
    assert not is_unsplit_compound("E-Mail-Adressen")
    assert not is_unsplit_compound("Beirat")
    assert not is_unsplit_compound("verschiedensten")  # not a noun
    assert not is_unsplit_compound("TMASGFFABCDEFG")  # an abbreviation
    assert is_unsplit_compound("Kompetenzzentrum")


def test_title_lead_and_body_are_all_checked():
    found = kinds("Internetseite", "Die Planungsregion.", "<p>Das Kompetenzzentrum.</p>")
    assert [text for _kind, text in found] == [
        "Internetseite",
        "Planungsregion",
        "Kompetenzzentrum",
    ]


def test_entities_and_tags_inside_words_do_not_split_them():
    assert kinds("<p>Sozial&middot;planung und <strong>Sozial</strong>·planung.</p>") == []

"""An author's spans kept in Latin in the Cyrillic edition: `[…]{lang=en}`, `[…]{.latin}`."""

import pytest

from core.richtext import render_markdown, sanitize_html


@pytest.mark.parametrize(
    ("text", "html"),
    [
        (
            "Vidi [CPT/Inf (2019) 12]{lang=en}.",
            '<p>Vidi <span lang="en">CPT/Inf (2019) 12</span>.</p>',
        ),
        (
            "[Poglavlje IV]{.latin}",
            '<p><span class="latin" lang="sr-Latn">Poglavlje IV</span></p>',
        ),
        ('[Hello]{lang="en-GB"}', '<p><span lang="en-GB">Hello</span></p>'),
        ("[Hi]{.latin lang=en}", '<p><span class="latin" lang="en">Hi</span></p>'),
        # The span's text is Markdown.
        (
            "[**CPT** report]{lang=en} [*B.1* i **IV**]{.latin}",
            '<p><span lang="en"><strong>CPT</strong> report</span> '
            '<span class="latin" lang="sr-Latn"><em>B.1</em> i <strong>IV</strong></span></p>',
        ),
        # A span holds no square brackets: with a link inside, the brackets stay as typed.
        (
            "[the [CPT](https://cpt.coe.int)]{lang=en}",
            '<p>[the <a href="https://cpt.coe.int" rel="noopener noreferrer">CPT</a>]{lang=en}</p>',
        ),
        # Code is code, not a span.
        ("`[x]{.latin}`", "<p><code>[x]{.latin}</code></p>"),
    ],
)
def test_bracketed_spans_become_spans_with_a_language(text, html):
    assert str(render_markdown(text)) == html


@pytest.mark.parametrize(
    "text",
    [
        "[x]{style=color:red}",
        '[x]{lang="en" onclick=alert(1)}',
        "[x]{#id}",
        "[x]{.evil}",
        '[x]{lang="en onclick=x"}',
        "[x]{lang=}",
    ],
)
def test_other_attribute_blocks_are_left_as_typed(text):
    html = str(render_markdown(text))
    assert "<span" not in html
    assert text.replace('"', "&quot;") in html or text in html


def test_raw_spans_keep_only_a_language_and_the_latin_class():
    html = sanitize_html(
        '<span lang="en" class="latin evil" onclick="x" style="color:red">a</span>'
        '<span class="latin">b</span><p lang="en onclick">c</p><p lang="sr-Latn">d</p>'
    )
    assert html == (
        '<span lang="en">a</span><span class="latin">b</span><p>c</p><p lang="sr-Latn">d</p>'
    )


def test_a_span_is_sanitised_like_any_other_text():
    html = str(render_markdown("[<img src=x onerror=alert(1)>[x](javascript:alert(1))]{lang=en}"))
    assert "<img" not in html
    assert "javascript" not in html

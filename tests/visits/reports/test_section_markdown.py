"""Section text for the report layout: footnotes, strikethrough, list start numbers, fenced code
and headings below the section title, through the same sanitiser as the web page, which lets
none of the new attributes carry anything else."""

import pytest

from core.richtext import render_markdown, sanitize_html


def test_footnotes_keep_their_links_and_anchors():
    html = str(render_markdown("Text.[^1]\n\n[^1]: The note."))
    assert '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1"' in html
    assert '<div class="footnote">' in html
    assert '<li id="fn:1">' in html
    assert 'class="footnote-backref" href="#fnref:1"' in html
    assert "The note." in html


def test_strikethrough_list_start_and_fenced_code():
    html = str(render_markdown("~~old~~ new\n\n3. three\n4. four\n\n```\n~~kept~~ <b>\n```"))
    assert "<del>old</del> new" in html
    assert '<ol start="3">' in html
    assert "<pre><code>~~kept~~ &lt;b&gt;\n</code></pre>" in html


def test_strikethrough_leaves_code_spans_and_single_tildes_alone():
    html = str(render_markdown("`~~x~~` and ~one~ and ~~~three~~~"))
    assert "<code>~~x~~</code>" in html
    assert "~one~" in html
    assert "<del>" not in html.split("and ~one~", 1)[0]


@pytest.mark.parametrize(
    ("markdown", "tag"),
    [("# A", "h3"), ("## A", "h4"), ("### A", "h5"), ("#### A", "h6"), ("###### A", "h6")],
)
def test_headings_sit_below_the_section_title(markdown, tag):
    assert str(render_markdown(markdown)) == f"<{tag}>A</{tag}>"


def test_raw_html_headings_are_demoted_too():
    html = str(render_markdown("<h1>Big</h1>\n\n<h2>Title</h2>"))
    assert "<h3>Big</h3>" in html
    assert "<h4>Title</h4>" in html
    assert "<h1" not in html
    assert "<h2" not in html


@pytest.mark.parametrize(
    "attack",
    [
        '<a href="#section-3">x</a>',
        '<a href="#top">x</a>',
        '<a href="#fn:1 onclick=alert(1)">x</a>',
        '<a href="/relative#fn:1">x</a>',
        '<a href="fn:1">x</a>',
        '<a href="#fn:1" onclick="alert(1)">x</a>',
        '<a class="footnote-ref evil" href="javascript:alert(1)">x</a>',
        '<li id="section-3">x</li>',
        '<sup id="para-1-1">x</sup>',
        '<p id="fn:1">x</p>',
        '<sup id="fn:1" onmouseover="alert(1)">x</sup>',
        '<ol start="1 onclick=alert(1)"><li>x</li></ol>',
        '<ol start="-1"><li>x</li></ol>',
        '<ol type="a" reversed><li>x</li></ol>',
        '<div class="footnote evil" style="color:red">x</div>',
        '<div id="fn:1" class="toc">x</div>',
        '<del onclick="alert(1)">x</del>',
    ],
)
def test_new_attributes_carry_nothing_else(attack):
    html = sanitize_html(attack)
    lowered = html.lower()
    for forbidden in ("onclick", "onmouseover", "javascript", "style", "section-3", "para-1"):
        assert forbidden not in lowered, html
    assert 'href="#top"' not in html
    assert 'href="/' not in html
    assert 'href="fn:' not in html
    assert 'start="1 ' not in html
    assert 'start="-1"' not in html
    assert "reversed" not in html
    assert 'class="toc"' not in html
    assert 'class="footnote evil"' not in html
    assert 'id="fn:1"' not in html or "<p" not in html
    assert sanitize_html(html) == html


def test_scripts_and_event_handlers_are_still_stripped():
    html = str(
        render_markdown(
            "[^1]\n\n[^1]: <script>alert(1)</script>[x](javascript:alert(1))"
            '<img src=x onerror=alert(1)>\n\n~~<a href="#fn:1" onclick=alert(1)>y</a>~~'
        )
    )
    lowered = html.lower()
    for forbidden in ("<script", "javascript:", "onerror", "onclick", "<img"):
        assert forbidden not in lowered, html


@pytest.mark.parametrize(
    "text",
    [
        "[]([ok](https://example.org/a?b=1&c=2 'title')",
        '<a href="/x" title="t">r</a> <a href="#fn:1" title="t">f</a>',
        "Text.[^1]\n\n[^1]: Note with [a link](https://example.org 'title').",
    ],
)
def test_sanitised_text_is_stable_when_a_relative_address_is_dropped(text):
    html = str(render_markdown(text))
    assert sanitize_html(html) == html

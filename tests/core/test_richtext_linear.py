"""Markdown preview time is bounded: pathological runs of "[" are shown as text, and a link's
text and address are looked for in a bounded window after its "[" (not to the end of the
paragraph), so many unclosed brackets before a long text render like any other text."""

from core.richtext import MAX_LINK_TEXT, markdown_bounds_error, render_markdown


def test_twenty_thousand_brackets_are_shown_escaped_not_parsed():
    text = "[" * 20_000 + "<b>bold</b>"
    html = render_markdown(text)
    assert html.startswith("<p>[[[[")
    assert "[" * 20_000 in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "<a " not in html
    assert "<b>" not in html
    assert "square brackets" in markdown_bounds_error(text)


def test_unclosed_brackets_before_a_long_text_are_rendered_as_markdown_text():
    # Within the bounds: 1,000 brackets, then 150,000 letters in the same paragraph (a minute of
    # scanning for the "]" of each bracket before; a window of MAX_LINK_TEXT now).
    text = "**Note** " + "[" * 1_000 + "a" * 150_000
    html = render_markdown(text)
    assert html.startswith("<p><strong>Note</strong> ")
    assert "[" * 1_000 + "a" * 150_000 in html


def test_a_link_after_many_stray_brackets_is_still_a_link():
    text = "[" * 900 + "\n\n" + "a " * 50_000 + "[the NPM](https://www.ombudsman.rs/)"
    html = render_markdown(text)
    assert '<a href="https://www.ombudsman.rs/" rel="noopener noreferrer">the NPM</a>' in html


def test_ordinary_links_images_and_references_are_unchanged():
    html = render_markdown(
        'See [CPT standards](https://www.coe.int/cpt "CPT") and [the report][r].\n\n'
        "[r]: https://example.org/report\n"
    )
    assert '<a href="https://www.coe.int/cpt" title="CPT" rel="noopener noreferrer">' in html
    assert '<a href="https://example.org/report" rel="noopener noreferrer">the report</a>' in html


def test_a_link_text_longer_than_the_window_stays_text():
    fits = "[" + "a" * (MAX_LINK_TEXT - 10) + "](https://example.org/)"
    too_long = "[" + "b" * (MAX_LINK_TEXT + 10) + "](https://example.org/)"
    assert "<a " in render_markdown(fits)
    html = render_markdown(too_long)
    assert "<a " not in html
    assert "b" * (MAX_LINK_TEXT + 10) in html


def test_nested_brackets_in_a_link_text_still_work():
    html = render_markdown("[Article [3] of the Convention](https://example.org/)")
    assert '">Article [3] of the Convention</a>' in html


def test_the_editor_previews_shortly_after_typing_stops_and_cancels_stale_requests():
    # The section editor's preview pane (templates/visits/section_edit.html).
    with open("templates/visits/section_edit.html", encoding="utf-8") as template:
        source = template.read()
    assert 'hx-trigger="input changed delay:500ms from:#id_body" hx-sync="this:replace"' in source
    assert "delay:1s" not in source

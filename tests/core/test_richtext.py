"""Section text: Markdown → HTML sanitised against an explicit allowlist."""

import re
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from core.richtext import ALLOWED_TAGS, render_markdown, sanitize_html

ATTACKS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<img src="http://127.0.0.1:8000/x.png">',
    "![x](file:///etc/passwd)",
    "![x](data:image/png;base64,AAAA)",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[c](java\tscript:alert(1))",
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    "<a href='/relative'>rel</a>",
    '<a href="https://ok.example/" onclick="alert(1)" style="color:red">ok</a>',
    '<p onmouseover="alert(1)">hover</p>',
    "<style>body{background:url(http://127.0.0.1/x)}</style>",
    '<link rel="stylesheet" href="http://127.0.0.1/x.css">',
    '<iframe src="https://evil.example"></iframe>',
    "<svg onload=alert(1)><circle/></svg>",
    "<object data=x></object><embed src=x>",
    '<table><tr><td style="background:url(x)" onclick=1>c</td></tr></table>',
    "<!-- comment --><!--[if IE]><script>x</script><![endif]-->",
    "<math><mi xlink:href=javascript:alert(1)>x</mi></math>",
    '<div style="width: expression(alert(1))">x</div>',
    "<form action=https://evil.example><input name=x></form>",
    "<base href=https://evil.example/>",
    "<meta http-equiv=refresh content='0;url=https://evil.example'>",
    "`<script>` in code",
    "```\n<script>alert(1)</script>\n```",
    "| a | b |\n|:--|--:|\n| <img src=x> | [x](javascript:1) |",
    "[ok](https://example.org/a?b=1&c=2 'title')",
    "[mail](mailto:npm@example.org)",
    "<<script>script>alert(1)<</script>/script>",
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="https://x.example/" title="&quot; onmouseover=&quot;x">t</a>',
    "</p><h1>big</h1><h2>ok</h2>",
    "> quote\n\n- a\n- b\n\n1. c\n2. d\n\n---\n\n**b** _i_",
]

markup = st.lists(
    st.one_of(
        st.sampled_from(ATTACKS),
        st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30),
        st.sampled_from(["<", ">", "&", '"', "'", "=", "\n", "\n\n", "*", "[", "](", ")", "`"]),
    ),
    max_size=12,
).map("".join)


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))


def assert_safe(html: str) -> None:
    lowered = html.lower()
    for forbidden in ("<script", "<img", "<style", "<link", "<iframe", "<svg", "<object", "<!--"):
        assert forbidden not in lowered, (forbidden, html)
    collector = _Collector()
    collector.feed(html)
    collector.close()
    for tag, attrs in collector.tags:
        assert tag in ALLOWED_TAGS, (tag, html)
        for name, value in attrs:
            assert not name.startswith("on"), (name, html)
            assert name in {"href", "title", "rel", "align", "start", "id", "class"}, (name, html)
            if name == "start":
                assert (value or "").isdigit(), (value, html)
            if name == "id":
                assert re.fullmatch(r"fn(ref\d*)?:[\w.-]+", value or ""), (value, html)
            if name == "class":
                assert value in {"footnote", "footnote-ref", "footnote-backref"}, (value, html)
            if name == "href" and (value or "").startswith("#"):
                # A footnote link, the only relative URL kept.
                assert re.fullmatch(r"#fn(ref\d*)?:[\w.-]+", value), (value, html)
            elif name == "href":
                scheme = (value or "").split(":", 1)[0].strip().lower()
                assert scheme in {"https", "mailto"}, (value, html)
                assert "javascript:" not in (value or "").lower()
                assert not (value or "").lower().startswith("data:")


@settings(max_examples=300, deadline=None)
@given(markup)
def test_sanitised_html_is_safe_and_stable(text):
    once = sanitize_html(text)
    assert_safe(once)
    assert sanitize_html(once) == once


@settings(max_examples=300, deadline=None)
@given(markup)
def test_rendered_markdown_is_safe_and_stable(text):
    html = str(render_markdown(text))
    assert_safe(html)
    assert sanitize_html(html) == html


def test_every_known_attack_is_neutralised():
    for attack in ATTACKS:
        assert_safe(str(render_markdown(attack)))
        assert_safe(sanitize_html(attack))


def test_markdown_formatting_survives():
    html = str(
        render_markdown(
            "## Findings\n\n**Bold** and *italic*, `code`.\n\n"
            "- one\n- two\n\n1. first\n2. second\n\n> quoted\n\n"
            "| Room | Beds |\n|:-----|-----:|\n| A | 4 |\n\n"
            "[CPT](https://www.coe.int/en/web/cpt) and [us](mailto:npm@example.org)"
        )
    )
    assert "<h4>Findings</h4>" in html  # below the section title (h2)
    assert "<strong>Bold</strong>" in html
    assert "<em>italic</em>" in html
    assert "<code>code</code>" in html
    assert "<ul>" in html
    assert "<ol>" in html
    assert "<blockquote>" in html
    assert '<th align="left">Room</th>' in html
    assert '<td align="right">4</td>' in html
    assert 'href="https://www.coe.int/en/web/cpt"' in html
    assert 'rel="noopener noreferrer"' in html
    assert 'href="mailto:npm@example.org"' in html


def test_unsafe_links_lose_their_address_but_keep_their_text():
    html = str(
        render_markdown("[passwd](file:///etc/passwd) [js](javascript:alert(1)) [h](http://x)")
    )
    assert "passwd" in html
    assert "js" in html
    assert "file:" not in html
    assert "javascript:" not in html
    assert "http://x" not in html


def test_images_are_dropped():
    html = str(render_markdown("Before ![secret](file:///etc/passwd) after"))
    assert "<img" not in html
    assert "/etc/passwd" not in html
    assert "Before" in html
    assert "after" in html


def test_script_and_style_contents_are_removed_not_shown():
    html = sanitize_html("<p>a</p><script>alert('x')</script><style>p{color:red}</style><p>b</p>")
    assert "alert" not in html
    assert "color:red" not in html
    assert html == "<p>a</p><p>b</p>"

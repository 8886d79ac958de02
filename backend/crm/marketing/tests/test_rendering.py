from __future__ import annotations

import pytest

from crm.core.errors import ApplicationError
from crm.marketing.rendering import html_to_text, render_parts, sanitize_html, template_check


def render(body: str, context: dict, *, subject: str = "S", body_format: str = "html", text_body: str = ""):
    return render_parts(subject=subject, body=body, body_format=body_format, text_body=text_body, context=context)


class TestMergeTags:
    def test_values_and_fallbacks(self):
        body = '<p>Hi {{ contact.first_name | default("there") }}</p>'
        assert "Hi Ana" in render(body, {"contact": {"first_name": "Ana"}}).html
        # missing, empty and absent objects all take the fallback
        assert "Hi there" in render(body, {"contact": {"first_name": ""}}).html
        assert "Hi there" in render(body, {}).html

    def test_merged_values_are_escaped_and_sanitized(self):
        rendered = render("<p>{{ contact.first_name }}</p>", {"contact": {"first_name": "<script>alert(1)</script>"}})
        assert "<script" not in rendered.html
        assert "&lt;script&gt;" in rendered.html

    def test_the_sandbox_refuses_python_internals(self):
        with pytest.raises(ApplicationError) as caught:
            render("{{ contact.__class__.__mro__ }}{{ ''.__class__.__subclasses__() }}", {"contact": {}})
        assert caught.value.code == "template_error"

    def test_syntax_errors_name_the_field_and_line(self):
        with pytest.raises(ApplicationError) as caught:
            template_check(subject="Hi", body="<p>ok</p>\n<p>{{ broken </p>", body_format="html")
        assert caught.value.fields["body"][0].startswith("Line 2")
        with pytest.raises(ApplicationError) as caught:
            template_check(subject="{% if %}", body="<p>ok</p>", body_format="html")
        assert "subject" in caught.value.fields

    def test_subject_is_one_line_plain_text(self):
        rendered = render("<p>x</p>", {"contact": {"first_name": "A&B"}}, subject="Hi\n{{ contact.first_name }}")
        assert rendered.subject == "Hi A&B"


class TestSanitizing:
    def test_scripts_handlers_and_javascript_links_are_removed(self):
        clean = sanitize_html(
            '<p onclick="x()">Hi</p><script>alert(1)</script><a href="javascript:alert(1)">x</a>'
            '<img src="https://cdn.example/a.png" onerror="x()"><iframe src="https://evil.example"></iframe>'
        )
        assert "onclick" not in clean and "<script" not in clean and "javascript:" not in clean
        assert "onerror" not in clean and "<iframe" not in clean
        assert '<img src="https://cdn.example/a.png">' in clean

    def test_email_layout_survives(self):
        clean = sanitize_html(
            '<table width="600" cellpadding="0"><tr><td style="color:red" align="center">x</td></tr></table>'
        )
        assert 'style="color:red"' in clean and 'width="600"' in clean


class TestMjml:
    def test_mjml_compiles_to_html(self):
        body = (
            "<mjml><mj-body><mj-section><mj-column><mj-text>Hello {{ contact.first_name }}</mj-text>"
            '<mj-button href="https://example.com/go">Go</mj-button></mj-column></mj-section></mj-body></mjml>'
        )
        rendered = render(body, {"contact": {"first_name": "Ivo"}}, body_format="mjml")
        assert "Hello Ivo" in rendered.html
        assert 'href="https://example.com/go"' in rendered.html
        assert "<mj-" not in rendered.html
        assert "Go (https://example.com/go)" in rendered.text

    def test_invalid_mjml_is_a_field_error(self):
        with pytest.raises(ApplicationError) as caught:
            template_check(subject="s", body="<mjml><mj-body><mj-section>", body_format="mjml")
        assert "body" in caught.value.fields


class TestPlainText:
    def test_derived_from_the_html_with_links_written_out(self):
        text = html_to_text('<p>Hi Ana,</p><p>Read <a href="https://example.com/a">our news</a>.</p>')
        assert text == "Hi Ana,\nRead our news (https://example.com/a)."

    def test_own_text_body_wins(self):
        rendered = render("<p>x</p>", {"contact": {"first_name": "Ana"}}, text_body="Hi {{ contact.first_name }}")
        assert rendered.text == "Hi Ana"

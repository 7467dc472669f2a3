"""The meeting lists (my meetings, home, forum page) are printed by one template tag:
every state gets its badge in the reader's language, every value is escaped."""

from django.template import Context, Template
from django.utils import translation

from sessions_app.meetings.selectors import MeetingRow


def row(pk: int, **fields) -> MeetingRow:
    values = {
        "pk": pk, "url": f"/meetings/{pk}/", "status": "scheduled", "theme": "Teema",
        "forum_name": "Foorumi", "my_rsvp": None, "has_note": False,
        "starts_iso": "2026-12-01T13:00:00+02:00", "when": "ti 1.12.2026 13.00–16.00",
    }  # fmt: skip
    return MeetingRow(**{**values, **fields})


def render(rows, *, show_forum: bool, language: str = "fi") -> str:
    with translation.override(language):
        return Template(
            '{% include "sessions_app/_meeting_rows.html" with meetings=rows show_forum=show %}'
        ).render(Context({"rows": rows, "show": show_forum}))


def items(html: str) -> list[str]:
    return html.split("<li ")[1:]


def test_each_state_gets_its_badge_in_the_readers_language():
    rows = [
        row(1, status="cancelled", my_rsvp="yes"),
        row(2, status="held", has_note=True),
        row(3, status="held"),
        row(4, my_rsvp="yes"),
        row(5, my_rsvp="maybe"),
        row(6, my_rsvp="no"),
        row(7),
    ]
    finnish = items(render(rows, show_forum=False))
    assert 'class="meeting-item is-cancelled"' in finnish[0] and "Peruttu" in finnish[0]
    assert "Tulen" not in finnish[0]  # a cancelled meeting shows no answer
    assert "Pidetty" in finnish[1] and ">Muistio<" in finnish[1]
    assert "Pidetty" in finnish[2] and "Muistio" not in finnish[2]
    assert ">Tulen<" in finnish[3]
    assert 'class="badge badge-warn">Ehkä<' in finnish[4]
    assert 'class="badge badge-muted">En tule<' in finnish[5]
    assert 'class="meeting-state"></span>' in finnish[6]
    swedish = items(render(rows, show_forum=False, language="sv"))
    assert "Inställt" in swedish[0] and ">Kommer<" in swedish[3] and "Kommer inte" in swedish[5]
    english = items(render(rows, show_forum=False, language="en"))
    assert "Cancelled" in english[0] and ">Coming<" in english[3]


def test_the_forum_name_only_where_asked_and_every_value_escaped():
    hostile = row(9, theme="<script>x</script>", forum_name='"><b>F</b>', url="/meetings/9/")
    with_forum = render([hostile], show_forum=True)
    assert "<script>" not in with_forum and "&lt;script&gt;x&lt;/script&gt;" in with_forum
    assert '<span class="muted">&quot;&gt;&lt;b&gt;F&lt;/b&gt;</span> · ' in with_forum
    assert 'href="/meetings/9/"' in with_forum
    assert (
        '<time datetime="2026-12-01T13:00:00+02:00">ti 1.12.2026 13.00–16.00</time>' in with_forum
    )
    assert "&quot;&gt;&lt;b&gt;F" not in render([hostile], show_forum=False)

import pytest

from news.models import Article

from ..factories import make_article, make_board, make_meeting

pytestmark = pytest.mark.django_db


def test_article_and_meeting_link_each_other_while_published(client):
    meeting = make_meeting(make_board(), number=1, days_ahead=-30)
    article = make_article("Beirat konstituiert")
    article.related_meetings.add(meeting)
    draft = make_article("Entwurf zur Sitzung", status=Article.Status.DRAFT)
    draft.related_meetings.add(meeting)

    assert meeting.get_absolute_url() in client.get(article.get_absolute_url()).content.decode()
    content = client.get(meeting.get_absolute_url()).content.decode()
    assert "Beirat konstituiert" in content
    assert "Entwurf zur Sitzung" not in content

"""What two people can do at once, on PostgreSQL in autocommit as on the server: staff choosing
a date twice, members answering while the date is chosen, two runs of the automatic reminder."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from advisory_board.models import DatePoll, DatePollAnswer, Meeting, Reminder
from advisory_board.poll_emails import announce_chosen_date, send_due_reply_reminders
from koss.models import Mail

from ..factories import make_board, make_meeting, make_member, make_user
from .test_polls import make_poll

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL"
    ),
]


def at_once(*jobs):
    """Run the jobs in threads that start together; returns what each returned or raised."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait()
            results[index] = job()
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.fixture
def board_with_members(transactional_db):
    board = make_board(is_current=True)
    people = [make_member(board, make_user(f"m{n}@example.org")) for n in range(2)]
    make_meeting(board, number=4, days_ahead=-30)
    return board, people


def choose_and_tell(poll_pk, option_pk):
    from django.db import transaction

    poll = DatePoll.objects.get(pk=poll_pk)
    with transaction.atomic():
        meeting = poll.choose(poll.options.get(pk=option_pk))
        announce_chosen_date(poll)
    return meeting


def test_two_staff_choosing_at_once_prepare_one_meeting(board_with_members):
    board, _people = board_with_members
    poll = make_poll(board)
    first, second = poll.options.all()
    results = at_once(
        lambda: choose_and_tell(poll.pk, first.pk), lambda: choose_and_tell(poll.pk, second.pk)
    )
    meetings = [result for result in results if isinstance(result, Meeting)]
    refused = [result for result in results if isinstance(result, ValidationError)]
    assert len(meetings) == 1 and len(refused) == 1, results
    assert Meeting.objects.filter(board=board, number=5).count() == 1
    poll.refresh_from_db()
    assert poll.meeting == meetings[0]
    # Everyone is told once.
    assert sorted(Mail.objects.values_list("recipient", flat=True)) == [
        "m0@example.org",
        "m1@example.org",
    ]


def test_members_answering_while_staff_choose_never_answer_after_the_choice(board_with_members):
    board, people = board_with_members
    poll = make_poll(board)
    options = list(poll.options.all())

    def answer(person):
        def job():
            DatePoll.objects.get(pk=poll.pk).answer(
                person, {option.pk: "passt" for option in options}
            )
            return "answered"

        return job

    results = at_once(
        answer(people[0]), answer(people[1]), lambda: choose_and_tell(poll.pk, options[0].pk)
    )
    poll.refresh_from_db()
    assert poll.is_decided
    for person, result in zip(people, results[:2], strict=True):
        stored = DatePollAnswer.objects.filter(person=person)
        if result == "answered":
            assert stored.count() == 2
            assert all(answer.answered_at <= poll.decided_at for answer in stored)
        else:
            assert isinstance(result, ValidationError) and not stored.exists(), result


def test_two_members_answer_at_once(board_with_members):
    board, people = board_with_members
    poll = make_poll(board)
    options = list(poll.options.all())
    results = at_once(
        *[
            (lambda person=person: poll.answer(person, {o.pk: "notfalls" for o in options}))
            for person in people
        ]
    )
    assert results == [None, None]
    assert DatePollAnswer.objects.count() == 4


def test_overlapping_reminder_runs_remind_each_member_once(board_with_members, settings):
    board, _people = board_with_members
    settings.KOSS_REPLY_REMINDER_DAYS = 7
    make_meeting(
        board,
        number=5,
        days_ahead=3,
        announced_at=timezone.now() - datetime.timedelta(days=10),
    )
    results = at_once(send_due_reply_reminders, send_due_reply_reminders)
    assert sorted(results) == [0, 2], results
    assert Reminder.objects.automatic().count() == 2
    assert sorted(Mail.objects.values_list("recipient", flat=True)) == [
        "m0@example.org",
        "m1@example.org",
    ]

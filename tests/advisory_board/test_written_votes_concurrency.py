"""Written votes under concurrency, on PostgreSQL in autocommit as on the server: two votes at
once, a vote at the deadline, two runs of the closing command at once. In each, one side holds
the vote's row first, so that the other side really waits for it."""

import datetime
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from advisory_board.emails import cast_vote, close_due_votes, remind_due_votes
from advisory_board.models import Ballot, Outcome, WrittenVote
from koss.models import Mail

from ..factories import make_board, make_meeting, make_member, make_user

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (DATABASE_URL)"
    ),
]

YES, NO = Ballot.Choice.YES, Ballot.Choice.NO


@pytest.fixture
def vote():
    board = make_board()
    make_meeting(board, number=1, days_ahead=60)
    members = [make_member(board, make_user()) for _ in range(3)]
    vote = WrittenVote.objects.create(
        board=board,
        title="Umlauf unter Last",
        motion="Der Beirat beschließt.",
        deadline=timezone.now() + datetime.timedelta(days=3),
        started_at=timezone.now(),
    )
    vote.members = members
    return vote


def run_while_locked(vote, *steps, before_release=None):
    """Run each step in a thread of its own while this thread holds the vote's row; release it
    (after `before_release`, in the same transaction) once all wait. Returns each step's result
    or exception."""
    results = [None] * len(steps)

    def run(index, step):
        try:
            results[index] = step()
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(steps)]
    with transaction.atomic():
        locked = WrittenVote.objects.select_for_update().get(pk=vote.pk)
        for thread in threads:
            thread.start()
        waiting_for_lock(threads)
        if before_release is not None:
            before_release(locked)
    for thread in threads:
        thread.join(timeout=30)
    return results


def waiting_for_lock(threads):
    """Wait until a thread waits for the row lock this thread holds (or a thread ended, which the
    test then sees in its result), and a moment longer for the others to reach it."""
    deadline = time.monotonic() + 60
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            if not all(thread.is_alive() for thread in threads):
                return
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            if cursor.fetchone()[0]:
                time.sleep(1)
                return
            time.sleep(0.05)
    raise AssertionError("no thread waited for the row")


def test_the_last_two_votes_at_once_close_the_vote_exactly_once(vote):
    first, second, third = vote.members
    cast_vote(vote, first, YES)
    results = run_while_locked(
        vote,
        lambda: cast_vote(vote, second, YES),
        lambda: cast_vote(vote, third, NO),
    )
    assert all(isinstance(result, Ballot) for result in results), results
    vote.refresh_from_db()
    assert vote.is_closed
    assert (vote.yes_count, vote.no_count, vote.electorate) == (2, 1, 3)
    assert Outcome.objects.filter(written_vote=vote).count() == 1
    assert Mail.objects.filter(subject__contains="Ergebnis").count() == 3


def test_the_same_member_twice_at_once_counts_once(vote):
    member = vote.members[0]
    results = run_while_locked(
        vote,
        lambda: cast_vote(vote, member, YES),
        lambda: cast_vote(vote, member, NO),
    )
    assert all(isinstance(result, Ballot) for result in results), results
    assert vote.ballots.filter(person=member).count() == 2
    assert vote.current_ballots().filter(person=member).count() == 1


def test_a_vote_waiting_at_the_deadline_is_refused_once_the_vote_is_counted(vote):
    first, second, _third = vote.members
    cast_vote(vote, first, YES)
    at_deadline = vote.deadline

    def close_first(locked):
        # The closing run took the row first: it counts what is there.
        locked.close(at_deadline, lambda counted: None)

    results = run_while_locked(
        vote,
        lambda: cast_vote(vote, second, NO, now=at_deadline - datetime.timedelta(seconds=1)),
        before_release=close_first,
    )
    assert isinstance(results[0], ValidationError)
    assert "beendet" in results[0].messages[0]
    vote.refresh_from_db()
    assert (vote.yes_count, vote.no_count) == (1, 0)
    assert not vote.ballots.filter(person=second).exists()


def test_a_vote_that_took_the_row_before_the_deadline_run_is_counted(vote):
    first, second, _third = vote.members
    cast_vote(vote, first, YES)
    at_deadline = vote.deadline

    def cast_first(locked):
        cast_vote(locked, second, NO, now=at_deadline - datetime.timedelta(seconds=1))

    results = run_while_locked(
        vote, lambda: close_due_votes(now=at_deadline), before_release=cast_first
    )
    assert results == [1]
    vote.refresh_from_db()
    assert (vote.yes_count, vote.no_count, vote.result) == (1, 1, "abgelehnt")


def test_two_closing_runs_at_once_count_and_mail_once(vote):
    cast_vote(vote, vote.members[0], YES)
    after = vote.deadline + datetime.timedelta(minutes=1)
    results = run_while_locked(
        vote, lambda: close_due_votes(now=after), lambda: close_due_votes(now=after)
    )
    assert sorted(results) == [0, 1]
    assert Outcome.objects.filter(written_vote=vote).count() == 1
    assert Mail.objects.filter(subject__contains="Ergebnis").count() == 3


def test_two_reminder_runs_at_once_remind_once(vote):
    before = vote.deadline - datetime.timedelta(days=1)
    barrier = threading.Barrier(2)

    def remind():
        barrier.wait()
        return remind_due_votes(now=before)

    threads_results = []
    threads = [
        threading.Thread(target=lambda: (threads_results.append(remind()), connection.close()))
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(threads_results) == [0, 1]
    assert Mail.objects.filter(subject__contains="Erinnerung").count() == 3

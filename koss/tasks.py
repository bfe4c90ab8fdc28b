"""Tasks a killed worker left behind are taken up again.

django-tasks-db marks a task RUNNING when a worker claims it and leaves it so if the worker dies
(SIGKILL, the machine's end, an exhausted memory): no worker takes it again, and the package has no
time limit of its own. `recover_stale_tasks()` (`manage.py recover_tasks`, scheduled every few
minutes) sets every task RUNNING for longer than KOSS_TASK_TIMEOUT_MINUTES back to READY, after
removing what its task names as left over. Both tasks are safe to run again: a mail delivered is
never sent twice (koss.mail.deliver locks and checks it), a book built is not built again.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from advisory_board.meeting_book import build_meeting_book, remove_partial_book

logger = logging.getLogger(__name__)

# What a killed run of a task may leave behind, by the task's path: removed before it runs again.
LEFTOVERS = {build_meeting_book.module_path: remove_partial_book}


def recover_stale_tasks(now=None):
    """Give the tasks that ran longer than the timeout back to the workers; their number."""
    now = now or timezone.now()
    started_before = now - datetime.timedelta(minutes=settings.KOSS_TASK_TIMEOUT_MINUTES)
    with transaction.atomic():
        stale = list(
            DBTaskResult.objects.running()
            .filter(started_at__lt=started_before)
            .select_for_update(skip_locked=True)
        )
        for result in stale:
            leftover = LEFTOVERS.get(result.task_path)
            if leftover is not None:
                leftover(result.task_result.id)
            logger.warning(
                "Task %s (%s) taken up again: its worker %s stopped answering",
                result.pk,
                result.task_path,
                result.worker_ids[-1] if result.worker_ids else "?",
            )
            result.status = "READY"
            result.save(update_fields=["status"])
    return len(stale)

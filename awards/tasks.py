"""Celery tasks of the awards app: thin wrappers around its services."""

from celery import shared_task

from .services.scoring import ranking_changes_fold


@shared_task(name="awards.tasks.fold_ranking_changes")
def fold_ranking_changes() -> int | None:
    """Run by beat every five minutes: the rankings' changes counted so far, folded into one number."""
    return ranking_changes_fold()

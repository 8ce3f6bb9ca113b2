"""Many leaders signing one pact at the same moment, each twice, against PostgreSQL.

Every thread has its own database connection and commits for real, so the row lock on the pact,
the unique (pact, unit) constraint and the after-commit hook are all exercised as in production.
"""

import threading

import pytest
from django.conf import settings
from django.db import connection, connections

from pacts import services
from pacts.errors import PactError
from pacts.models import AuditEvent, Pact, PactSignature
from pacts.signals import pact_executed
from tests.conftest import require
from tests.pacts.factories import make_world

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

UNITS = 12
ATTEMPTS_PER_UNIT = 2


@pytest.fixture
def postgres() -> None:
    require(
        settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql",
        "concurrent signing needs PostgreSQL (row locks); SQLite serialises every write",
    )


@pytest.fixture
def executions():
    """The pacts the ``pact_executed`` hook was called for, whichever thread called it."""
    fired: list[int] = []
    lock = threading.Lock()

    def receiver(sender, pact, **kwargs) -> None:
        with lock:
            fired.append(pact.pk)

    pact_executed.connect(receiver, weak=False, dispatch_uid="test_signing_concurrency")
    yield fired
    pact_executed.disconnect(dispatch_uid="test_signing_concurrency")


def test_every_leader_signing_twice_at_once_gives_one_signature_per_unit_and_one_completion(postgres, executions):
    world = make_world(UNITS, prefix="dongthoi")
    pact_id, content_hash = world.pact.pk, world.pact.content_hash
    jobs = [(unit, leader) for unit, leader in zip(world.units, world.leaders, strict=True)] * ATTEMPTS_PER_UNIT
    barrier = threading.Barrier(len(jobs))
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(unit, leader) -> None:
        try:
            pact = Pact.objects.get(pk=pact_id)
            barrier.wait(timeout=30)
            services.pact_sign(pact=pact, unit=unit, user=leader, consent=True, content_hash=content_hash)
            outcome = "signed"
        except PactError:
            outcome = "refused"
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            outcome = f"error: {error!r}"
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=attempt, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    connections.close_all()

    assert sorted(outcomes) == ["refused"] * UNITS + ["signed"] * UNITS
    signatures = PactSignature.objects.filter(pact_id=pact_id)
    assert signatures.count() == UNITS
    assert sorted(signatures.values_list("unit_id", flat=True)) == sorted(u.pk for u in world.units)
    assert Pact.objects.get(pk=pact_id).status == Pact.Status.EXECUTED
    assert AuditEvent.objects.filter(pact_id=pact_id, action="executed").count() == 1
    assert AuditEvent.objects.filter(pact_id=pact_id, action="signed").count() == UNITS
    assert AuditEvent.objects.filter(pact_id=pact_id, action="refused").count() == UNITS
    assert executions == [pact_id]

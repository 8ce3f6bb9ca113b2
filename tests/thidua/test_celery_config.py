"""The effective Celery configuration: a misspelt setting would be silently ignored."""

from thidua.celery import app


def test_the_configuration_is_the_one_we_mean():
    conf = app.conf
    assert conf.task_serializer == "json"
    assert conf.result_serializer == "json"
    assert conf.accept_content == ["json"]
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_soft_time_limit == 540
    assert conf.task_time_limit == 600
    assert conf.task_soft_time_limit < conf.task_time_limit
    assert conf.worker_max_memory_per_child == 400_000


def test_the_redis_visibility_timeout_exceeds_the_longest_task():
    assert app.conf.broker_transport_options["visibility_timeout"] > app.conf.task_time_limit


def test_pdf_tasks_go_to_their_own_queue():
    assert {q.name for q in app.conf.task_queues} == {"default", "pdf"}
    assert app.amqp.router.route({}, "pacts.tasks.render_pact_pdf")["queue"].name == "pdf"
    assert app.amqp.router.route({}, "thidua.ping")["queue"].name == "default"


def test_tasks_of_the_apps_are_discovered():
    app.loader.import_default_modules()
    assert "thidua.ping" in app.tasks


def test_with_the_broker_down_a_publish_gives_up_within_about_a_second():
    conf = app.conf
    assert conf.broker_connection_timeout <= 1
    assert conf.broker_transport_options["socket_connect_timeout"] <= 1
    assert conf.broker_transport_options["socket_timeout"] <= 2
    assert conf.task_publish_retry_policy["max_retries"] <= 1
    assert conf.task_publish_retry_policy["interval_start"] == 0


def test_no_task_but_ping_touches_the_result_backend():
    from outbox.tasks import send_email
    from pacts.tasks import render_pact_pdf
    from thidua.celery import ping

    assert app.conf.task_ignore_result is True
    assert send_email.ignore_result is True
    assert render_pact_pdf.ignore_result is True
    assert ping.ignore_result is False


def test_e_mails_go_to_the_default_queue_and_are_swept_every_minute():
    from datetime import timedelta

    app.loader.import_default_modules()
    assert app.amqp.router.route({}, "outbox.tasks.send_email")["queue"].name == "default"
    sweep = app.conf.beat_schedule["outbox-sweep"]
    assert sweep["task"] == "outbox.tasks.sweep_emails" and sweep["task"] in app.tasks
    assert sweep["schedule"] <= timedelta(minutes=1)


def test_a_web_process_knows_the_tasks_it_queues_by_name():
    """The e-mails and PDF jobs are queued by task name: a process that never imported the task modules
    (gunicorn's) must still find them, or every queueing would fail and wait for the sweep."""
    import subprocess
    import sys

    from django.conf import settings

    code = (
        "import django; django.setup(); from celery import current_app; "
        "print(sorted(n for n in current_app.tasks if n.startswith(('outbox.', 'pacts.'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "thidua.settings"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    registered = result.stdout
    for name in ("outbox.tasks.send_email", "pacts.tasks.render_pact_pdf", "pacts.tasks.render_missing_pdf"):
        assert name in registered, result.stdout + result.stderr

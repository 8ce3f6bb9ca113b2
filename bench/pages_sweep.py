"""Every page of the portal a GET reaches, on its biggest case: status, SQL queries, HTML size, single-request
median and p95 (test client, production settings); with --demo-database, the same on the demo set and the
ratio of the medians. Issue 16 names eight pages (bench/pages_load.py measures them over HTTP); this sweep is
for the rest of their family, so that no page costs what the database holds rather than what it shows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_bench REDIS_URL=redis://127.0.0.1:6379/5 \\
        .venv/bin/python bench/pages_sweep.py --demo-database postgres://postgres@127.0.0.1:5432/thidua_demo

The country set is the one of bench/awards_pages.py; the demo set a database where `manage.py seed_demo` ran.
Every named route of the URL configuration (the admin's aside) is listed: measured with the arguments of the
biggest case found (cases()), or said to be skipped and why (no such object on this set, a POST-only action).
Pages are asked as the ministry, and the leader's own pages as the head of a unit of the biggest open pact.
A row is marked "!" when its p95 passes 50 ms or its median is more than 1.3 times the demo's. The two sets
are measured one after the other, not in turn: on a machine whose speed drifts between minutes the ratio is a
pointer to a page worth a look (a size that grows with the database), not a figure to hold a target to; that
is pages_load.py's, which asks both sets in turn. Options:
--repeat N (timed requests a page, 10), --only TEXT (routes whose name contains it).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import pages_load  # noqa: E402

# Routes that only take a POST (a GET answers 405 by design) or only make sense in a flow (a link from an
# e-mail, the step after a form).
NOT_A_PAGE = {
    "accounts:logout",
    "accounts:password_reset_confirm",
    "accounts:invitation_accept",
    "accounts:invitation_welcome",
    "accounts:recovery_codes_download",
    "set_language",
}
# Pages of a unit's leader: asked as the head of a pending unit of the biggest open pact.
LEADER_PAGES = {"pacts:my_pacts", "pacts:pact_sign", "pacts:pact_signed", "awards:my_registrations", "awards:my_scores"}


def routes() -> list[tuple[str, list[str]]]:
    """Every named route outside the admin: its name and its parameters' names."""
    from django.urls import get_resolver
    from django.urls.resolvers import URLResolver

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace != "admin":
                    yield from walk(
                        pattern.url_patterns, namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
                    )
            elif pattern.name:
                yield namespace + pattern.name, list(pattern.pattern.converters)

    return list(walk(get_resolver().url_patterns))


def cases() -> dict[str, dict]:
    """The biggest case of each kind of object on this set: the arguments each route is asked with."""
    from django.db.models import Count

    from awards.models import AwardDecision, AwardRegistration, AwardTitle, ScoreEntry, ScoreSheet
    from core.models import ExportJob
    from legal.models import LegalDocument
    from pacts.models import BoardLink, Movement, Pact, PdfJob
    from regions.models import Region, RegionMembership
    from reports.models import ReportJob

    found: dict[str, dict] = {}

    def first(queryset):
        return queryset.order_by("pk").first()

    biggest = (
        RegionMembership.objects.values("region_id", "year").annotate(size=Count("id")).order_by("-size", "-year")
    ).first()
    region = Region.objects.get(pk=biggest["region_id"])
    year = biggest["year"]
    member = RegionMembership.objects.filter(region=region, year=year).order_by("pk").first()
    found["slug"] = {"slug": region.slug}
    found["roster"] = {"slug": region.slug, "year": year}
    found["roster_unit"] = {"slug": region.slug, "year": year, "unit_id": member.unit_id}
    found["unit"] = {"pk": member.unit_id}
    found["dashboard"] = {"year": year}
    found["dashboard_region"] = {"year": year, "slug": region.slug}
    found["dashboard_unit"] = {"year": year, "unit_pk": member.unit_id}
    pact = Pact.objects.annotate(size=Count("signatories")).order_by("-size", "-status", "pk").first()
    if pact is not None:
        found["pact"] = {"pk": pact.pk}
        found["campaign"] = {"pk": pact.campaign_id}
        found["campaign_pk"] = {"campaign_pk": pact.campaign_id}
        found["verify"] = {"code": pact.verification_code}
        revision = pact.revisions.order_by("-number").first()
        if revision is not None:
            found["revision"] = {"pk": pact.pk, "number": revision.number}
        job = PdfJob.objects.filter(pact=pact, status="done").order_by("-version").first()
        if job is not None:
            found["pdf"] = {"pk": pact.pk, "version": job.version}
    link = BoardLink.objects.annotate(size=Count("pact__signatories")).order_by("-size", "pk").first()
    if link is not None:  # the live board of the biggest pact that has one
        found["board"] = {"token": link.token}
    open_pact = Pact.objects.filter(status="open").annotate(size=Count("signatories")).order_by("-size", "pk").first()
    if open_pact is not None:
        found["open_pact"] = {"pk": open_pact.pk}
    title = AwardTitle.objects.annotate(n=Count("registrations")).order_by("-n", "pk").first()
    if title is not None:
        found["title"] = {"pk": title.pk}
        campaign = (
            AwardRegistration.objects.filter(title=title).values("campaign_id").annotate(n=Count("id")).order_by("-n")
        ).first()
        if campaign:
            found["votes"] = {"pk": campaign["campaign_id"], "title_pk": title.pk}
            found["campaign_registrations"] = {"pk": campaign["campaign_id"]}
    registration = first(AwardRegistration.objects.all())
    if registration is not None:
        found["registration"] = {"pk": registration.pk}
    sheets = ScoreSheet.objects.values("table_id").annotate(n=Count("id")).order_by("-n").first()
    if sheets is not None:
        sheet = ScoreSheet.objects.filter(table_id=sheets["table_id"]).order_by("pk").first()
        found["table"] = {"pk": sheets["table_id"]}
        found["sheet"] = {"table_pk": sheets["table_id"], "unit_pk": sheet.unit_id}
        found["sheet_pk"] = {"pk": sheet.pk}
        ranked = (
            RegionMembership.objects.filter(unit__score_sheets__table_id=sheets["table_id"])
            .values("region_id", "year")
            .annotate(n=Count("id"))
            .order_by("-n")
            .first()
        )
        if ranked:
            found["ranking"] = {"table_pk": sheets["table_id"], "region_pk": ranked["region_id"]}
    entry = first(ScoreEntry.objects.exclude(evidence_file=""))
    if entry is not None:
        found["evidence"] = {"entry_pk": entry.pk}
    for key, model in (
        ("decision", AwardDecision),
        ("document", LegalDocument),
        ("movement", Movement),
        ("report_job", ReportJob),
        ("export_job", ExportJob),
    ):
        obj = first(model.objects.all())
        if obj is not None:
            found[key] = {"pk": obj.pk}
    if "report_job" in found:
        found["report_download"] = {**found["report_job"], "fmt": "docx"}
    return found


# The case each parameterised route is asked with (a key of cases()); a route not here is listed as skipped.
ROUTE_CASE = {
    "people:person_detail": "person",
    "people:person_edit": "person",
    "legal:document_edit": "document",
    "regions:region_detail": "slug",
    "regions:region_edit": "slug",
    "regions:region_rename": "slug",
    "regions:roster_year": "slug",
    "regions:roster_detail": "roster",
    "regions:roster_edit": "roster",
    "regions:roster_add": "roster",
    "regions:roster_order": "roster",
    "regions:roster_copy": "roster",
    "regions:roster_export": "roster",
    "regions:roster_leaders_onboard": "roster",
    "regions:roster_set_role": "roster_unit",
    "regions:unit_detail": "unit",
    "regions:unit_edit": "unit",
    "regions:unit_rename": "unit",
    "regions:appointment_create": "unit",
    "regions:unit_leaders_onboard": "unit",
    "awards:unit_awards": "unit",
    "pacts:campaign_detail": "campaign",
    "pacts:campaign_edit": "campaign",
    "pacts:campaign_phases": "campaign",
    "pacts:campaign_targets": "campaign",
    "pacts:pact_create": "campaign",
    "pacts:campaign_progress": "campaign_pk",
    "pacts:pact_detail": "pact",
    "pacts:pact_edit": "pact",
    "pacts:pact_revision": "revision",
    "pacts:pact_progress": "open_pact",
    "pacts:pact_sign": "leader_sign",
    "pacts:pact_audit": "pact",
    "pacts:pact_audit_export": "pact",
    "pacts:pdf_status": "pact",
    "pacts:pdf_preview": "pact",
    "pacts:pdf_download": "pdf",
    "pacts:verify": "verify",
    "pacts:board": "board",
    "pacts:board_state": "board",
    "pacts:board_links": "pact",
    "pacts:ceremony": "pact",
    "pacts:board_sign_start": "open_pact",
    "pacts:movement_edit": "movement",
    "pacts:national_progress": "dashboard",
    "pacts:pdf_archive": "dashboard",
    "awards:title_detail": "title",
    "awards:title_edit": "title",
    "awards:registration_detail": "registration",
    "awards:registration_edit": "registration",
    "awards:campaign_registrations": "campaign_registrations",
    "awards:campaign_votes": "campaign_registrations",
    "awards:vote_record": "votes",
    "awards:table_detail": "table",
    "awards:table_edit": "table",
    "awards:table_content": "table",
    "awards:table_thresholds": "table",
    "awards:table_import": "table",
    "awards:sheet": "sheet",
    "awards:sheet_review": "sheet_pk",
    "awards:evidence": "evidence",
    "awards:ranking": "ranking",
    "awards:ranking_xlsx": "ranking",
    "awards:decision_detail": "decision",
    "reports:country_dashboard": "dashboard",
    "reports:country_xlsx": "dashboard",
    "reports:region_dashboard": "dashboard_region",
    "reports:region_xlsx": "dashboard_region",
    "reports:unit_dashboard": "dashboard_unit",
    "reports:unit_xlsx": "dashboard_unit",
    "reports:report_detail": "report_job",
    "reports:report_status": "report_job",
    "reports:report_download": "report_download",
    "core:export_job": "export_job",
    "core:export_status": "export_job",
}


def leader_of(pact_pk: int | None):
    """The head (with an account) of a pending unit of the pact, as pages_load finds it."""
    from django.utils import timezone

    from pacts.models import Pact
    from pacts.selectors import pending_slots
    from regions.selectors import appointments_on

    if pact_pk is None:
        return None, None
    for slot in pending_slots(Pact.objects.get(pk=pact_pk)):
        head = appointments_on(slot.unit, timezone.localdate()).filter(user__isnull=False).first()
        if head is not None:
            return head.user, slot.unit_id
    return None, None


def measure_set(args: argparse.Namespace) -> dict[str, dict]:
    """Every route on the database of DATABASE_URL; one dict a route (status, queries, bytes, times)."""
    os.environ.update(pages_load.production_environment(8999))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("collectstatic", interactive=False, verbosity=0)
    from django.conf import settings
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from accounts.reauth import SESSION_KEY
    from bench import _timing

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    found = cases()
    ministry = Client(HTTP_X_FORWARDED_PROTO="https")
    ministry.force_login(_timing.ministry_user())
    leader_user, leader_unit = leader_of(found.get("open_pact", {}).get("pk"))
    leader = Client(HTTP_X_FORWARDED_PROTO="https")
    if leader_user is not None:
        leader.force_login(leader_user)
        session = leader.session
        session[SESSION_KEY] = int(time.time())
        session.save()
        found["leader_sign"] = {"pk": found["open_pact"]["pk"], "unit_id": leader_unit}
        found["person"] = {"pk": leader_user.pk}
    results: dict[str, dict] = {}
    for name, parameters in routes():
        if args.only not in name:
            continue
        if name in NOT_A_PAGE:
            results[name] = {"skipped": "not a page of its own (a POST, or a step of a flow)"}
            continue
        kwargs = {}
        if parameters:
            case = ROUTE_CASE.get(name)
            if case is None:
                results[name] = {"skipped": "an action (POST only)"}
                continue
            if case not in found:
                results[name] = {"skipped": f"no {case} on this set"}
                continue
            kwargs = found[case]
        path = reverse(name, kwargs=kwargs)
        client = leader if name in LEADER_PAGES else ministry
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            response = _timing.fetch(client, path)
        queries = len(captured)
        size = len(b"".join(response.streaming_content) if response.streaming else response.content)
        times = []
        if response.status_code == 200:
            for _ in range(args.repeat):
                started = time.perf_counter()
                _timing.fetch(client, path)
                times.append((time.perf_counter() - started) * 1000)
        results[name] = {
            "path": path,
            "status": response.status_code,
            "queries": queries,
            "bytes": size,
            "times": times,
        }
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--only", default="")
    parser.add_argument("--demo-database", default="")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to the PostgreSQL benchmark database (see the top of this script).")
    if args.json:
        print("SWEEP " + json.dumps(measure_set(args)))
        return 0
    sets = {"country": os.environ["DATABASE_URL"]}
    if args.demo_database:
        sets["demo"] = args.demo_database
    measured = {}
    for label, database in sets.items():
        command = [sys.executable, __file__, "--json", "--repeat", str(args.repeat), "--only", args.only]
        output = subprocess.run(
            command, env={**os.environ, "DATABASE_URL": database}, capture_output=True, text=True, check=True
        ).stdout
        measured[label] = json.loads(next(line for line in output.splitlines() if line.startswith("SWEEP "))[6:])
    country, demo = measured["country"], measured.get("demo", {})
    print(f"{'route':<40} {'status':>6} {'queries':>7} {'KB':>6} {'median':>7} {'p95':>6} {'demo':>6} {'ratio':>5}")
    for name, row in country.items():
        if "skipped" in row:
            print(f"{name:<40} skipped: {row['skipped']}")
            continue
        times = row["times"]
        median = statistics.median(times) if times else float("nan")
        p95 = pages_load.percentile(times, 0.95) if times else float("nan")
        theirs = demo.get(name, {}).get("times") or []
        demo_median = statistics.median(theirs) if theirs else float("nan")
        ratio = median / demo_median if theirs and times else float("nan")
        flag = " !" if p95 > 50 or ratio > 1.3 else ""
        print(
            f"{name:<40} {row['status']:>6} {row['queries']:>7} {row['bytes'] / 1024:>6.0f} {median:>7.1f}"
            f" {p95:>6.1f} {demo_median:>6.1f} {ratio:>5.2f}{flag}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

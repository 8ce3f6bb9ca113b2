"""Backup, restore and verification of the record: the database and the files it names, taken and put back together.

A backup is a directory ``thidua-<UTC time>/`` holding ``database.dump`` (PostgreSQL, ``pg_dump -Fc``) or
``database.sqlite3`` (the embedded default), ``media/`` with every file a row of the database names (PDFs,
evidence files), and ``manifest.json`` with the SHA-256 of each part. It is consistent: on PostgreSQL the
file list is read in the very snapshot that pg_dump exports (``pg_export_snapshot``), on SQLite from the
copy itself; files are never rewritten once written, so copying them after the dump loses nothing. The
directory is written as ``….partial`` and renamed when complete, so a half-written backup never looks
like a good one.

A restore checks every hash of the backup first, refuses a database that already holds tables (unless
told), restores the database and the files, then verifies the record: every frozen pact's text against
its hash, every signature against the text it signed, every ready PDF against its SHA-256, and every
executed pact against its own records (each slot signed on its text, the text they give, a PDF).

A ready PDF whose file is missing is excused only when the record proves it replaced: the pdf worker
settled the loss on the job and a newer ready final version of the same pact is there and verifies. The
note on the job alone proves nothing: the application's role may write it.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, models

from pacts.canonical import pact_canonical_text, sha256_hex
from pacts.models import Pact, PactSignatory, PactSignature, PdfJob
from pacts.pdf_jobs import FILE_MISSING

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
CHUNK = 1024 * 1024
PACTS_PER_BATCH = 500


class RecordError(Exception):
    """The backup or the restore cannot go on; the message says why."""


@dataclass
class RecordCheck:
    """What verify found: counts of what matched, and one line per mismatch."""

    frozen_pacts: int = 0
    executed_pacts: int = 0
    signatures: int = 0
    pdfs: int = 0
    lost_pdfs: int = 0
    awaiting_pdfs: int = 0
    files: int = 0
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        verdict = "no mismatch" if self.ok else f"{len(self.problems)} mismatch(es)"
        lost = f" ({self.lost_pdfs} known lost, replaced by a newer version that verifies)" if self.lost_pdfs else ""
        awaiting = f", {self.awaiting_pdfs} executed pacts awaiting their PDF" if self.awaiting_pdfs else ""
        return (
            f"{self.executed_pacts} executed pacts verified ({self.frozen_pacts} frozen pacts in all), "
            f"{self.signatures} signatures, {self.pdfs} PDFs{lost}{awaiting}, {self.files} other files present: "
            f"{verdict}."
        )


@dataclass
class Backup:
    path: Path
    manifest: dict


# ---------------------------------------------------------------------------------------------
# Verification
# ---------------------------------------------------------------------------------------------


def record_verify() -> RecordCheck:
    """Checks the record against its own hashes; reads rows in batches, whatever the size of the record."""
    check = RecordCheck()
    hashes: dict[int, str] = {}
    executed: list[int] = []
    pacts = Pact.objects.exclude(status=Pact.Status.DRAFT).order_by("pk")
    for pk, status, text, content_hash in pacts.values_list("pk", "status", "content_text", "content_hash").iterator():
        hashes[pk] = content_hash
        if sha256_hex(text) != content_hash:
            check.problems.append(f"pact {pk}: its frozen text does not match its SHA-256")
            continue
        check.frozen_pacts += 1
        if status == Pact.Status.EXECUTED:
            check.executed_pacts += 1
            executed.append(pk)
    signatures = PactSignature.objects.order_by("pk").values_list("pk", "pact_id", "content_hash")
    for pk, pact_id, content_hash in signatures.iterator():
        if hashes.get(pact_id) != content_hash:
            check.problems.append(f"signature {pk} (pact {pact_id}): signed a text other than the pact's")
        else:
            check.signatures += 1
    for start in range(0, len(executed), PACTS_PER_BATCH):
        _verify_executed(check, executed[start : start + PACTS_PER_BATCH])
    seen = _verify_pdfs(check)
    for name in referenced_files_orm():
        if name in seen:
            continue
        if default_storage.exists(name):
            check.files += 1
        else:
            check.problems.append(f"file {name} is named by the database but missing from the storage")
    return check


def _verify_executed(check: RecordCheck, pact_ids: list[int]) -> None:
    """An executed pact has a signature on its text for every slot and no other, its records still give
    the text it was signed on, and a final PDF that is ready or on its way."""
    slots: dict[int, list[tuple[int, str]]] = {pk: [] for pk in pact_ids}
    for pact_id, unit_id, unit_name in (
        PactSignatory.objects.filter(pact_id__in=pact_ids)
        .order_by("order")
        .values_list("pact_id", "unit_id", "unit_name")
    ):
        slots[pact_id].append((unit_id, unit_name))
    signed: dict[int, dict[int, str]] = {pk: {} for pk in pact_ids}
    for pact_id, unit_id, content_hash in PactSignature.objects.filter(pact_id__in=pact_ids).values_list(
        "pact_id", "unit_id", "content_hash"
    ):
        signed[pact_id][unit_id] = content_hash
    pdf_statuses: dict[int, set[str]] = {pk: set() for pk in pact_ids}
    for pact_id, status in PdfJob.objects.filter(pact_id__in=pact_ids, draft=False).values_list("pact_id", "status"):
        pdf_statuses[pact_id].add(status)
    pacts = Pact.objects.filter(pk__in=pact_ids).select_related("campaign__region").order_by("pk")
    for pact in pacts.iterator(chunk_size=PACTS_PER_BATCH):
        if not slots[pact.pk]:
            check.problems.append(f"pact {pact.pk}: executed without any signatory slot")
        for unit_id, unit_name in slots[pact.pk]:
            if unit_id not in signed[pact.pk]:
                check.problems.append(f"pact {pact.pk}: executed without the signature of {unit_name}")
            elif signed[pact.pk][unit_id] != pact.content_hash:
                check.problems.append(f"pact {pact.pk}: {unit_name} signed a text other than the pact's")
        slotted = {unit_id for unit_id, _ in slots[pact.pk]}
        for unit_id in sorted(set(signed[pact.pk]) - slotted):
            check.problems.append(f"pact {pact.pk}: signed by unit {unit_id}, which has no slot on it")
        if pact_canonical_text(pact) != pact.content_text:
            check.problems.append(f"pact {pact.pk}: its records no longer give the text that was signed")
        statuses = pdf_statuses[pact.pk]
        if PdfJob.Status.READY in statuses:
            continue
        if statuses & {PdfJob.Status.PENDING, PdfJob.Status.RENDERING}:
            check.awaiting_pdfs += 1
            check.notes.append(f"pact {pact.pk}: awaiting its PDF (a job is pending or rendering)")
        else:
            check.problems.append(f"pact {pact.pk}: executed but has no PDF, ready or on its way")


def _verify_pdfs(check: RecordCheck) -> set[str]:
    """Every ready job's file against its SHA-256; returns the names checked. A missing final file is
    excused only when the pdf worker settled its loss and a newer ready final version verifies."""
    ready = PdfJob.objects.filter(status=PdfJob.Status.READY).order_by("pk")
    rows = ready.values_list("pk", "pact_id", "version", "draft", "pdf", "pdf_sha256", "last_error")
    seen: set[str] = set()
    newest_verified: dict[int, int] = {}
    settled_missing: list[tuple[int, int, int, str]] = []
    for pk, pact_id, version, draft, name, expected, last_error in rows.iterator():
        seen.add(name)
        actual = storage_sha256(name) if name else None
        if actual is None and not draft and last_error.startswith(FILE_MISSING):
            settled_missing.append((pk, pact_id, version, name))
        elif actual is None:
            check.problems.append(f"PDF job {pk}: the file {name or '(none)'} is missing")
        elif actual != expected:
            check.problems.append(f"PDF job {pk}: {name} does not match its SHA-256")
        else:
            check.pdfs += 1
            if not draft:
                newest_verified[pact_id] = max(version, newest_verified.get(pact_id, version))
    for pk, pact_id, version, name in settled_missing:
        if newest_verified.get(pact_id, 0) > version:
            check.lost_pdfs += 1
        else:
            check.problems.append(
                f"PDF job {pk}: the file {name} is missing, and no newer version of the pact that verifies replaces it"
            )
    return seen


def storage_sha256(name: str) -> str | None:
    """The SHA-256 of a file in the default storage, or None when it is not there."""
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as stored:
        return _sha256_stream(stored)


def file_fields() -> list[tuple[type[models.Model], models.FileField]]:
    """Every file column of the project: a new one is backed up and checked without touching this module."""
    return [
        (model, model_field)
        for model in apps.get_models()
        if not model._meta.proxy and model._meta.managed
        for model_field in model._meta.local_fields
        if isinstance(model_field, models.FileField)
    ]


def referenced_files_orm() -> list[str]:
    names: set[str] = set()
    for model, model_field in file_fields():
        values = model._default_manager.exclude(**{model_field.name: ""}).exclude(**{model_field.name: None})
        names.update(values.values_list(model_field.name, flat=True).distinct())
    return sorted(names)


def known_lost_files_sql(cursor, quote) -> dict[str, set[tuple[str, str]]]:
    """The files of ready final PDF jobs whose loss the pdf worker settled, each with the file and SHA-256
    of every newer ready final version of the same pact: the loss is excused only if one of them verifies."""
    table = quote(PdfJob._meta.db_table)
    pact, version, draft, pdf, sha, status, last_error = (
        quote(PdfJob._meta.get_field(name).column)
        for name in ("pact", "version", "draft", "pdf", "pdf_sha256", "status", "last_error")
    )
    cursor.execute(
        f"SELECT lost.{pdf}, newer.{pdf}, newer.{sha} FROM {table} lost "  # noqa: S608 - names from the model
        f"LEFT JOIN {table} newer ON newer.{pact} = lost.{pact} AND newer.{version} > lost.{version} "
        f"AND newer.{status} = 'ready' AND NOT newer.{draft} "
        f"WHERE lost.{status} = 'ready' AND NOT lost.{draft} AND lost.{last_error} LIKE '{FILE_MISSING}%'"
    )
    known: dict[str, set[tuple[str, str]]] = {}
    for lost_name, newer_name, newer_sha in cursor.fetchall():
        replacements = known.setdefault(lost_name, set())
        if newer_name:
            replacements.add((newer_name, newer_sha))
    return known


def replaced_in_backup(absent: list[str], known_lost: dict[str, set[tuple[str, str]]], files: dict[str, dict]):
    """The absent files whose loss is excused: a newer version's file was copied and matches its SHA-256."""
    return [
        name
        for name in absent
        if any(files.get(newer, {}).get("sha256") == sha for newer, sha in known_lost.get(name, ()))
    ]


def referenced_files_sql(cursor, quote) -> list[str]:
    """The same list read with plain SQL, through any DB-API cursor (the snapshot's, or the SQLite copy's)."""
    names: set[str] = set()
    for model, model_field in file_fields():
        table, column = quote(model._meta.db_table), quote(model_field.column)
        cursor.execute(f"SELECT DISTINCT {column} FROM {table} WHERE {column} IS NOT NULL AND {column} <> ''")  # noqa: S608 - names from the models
        names.update(row[0] for row in cursor.fetchall())
    return sorted(names)


# ---------------------------------------------------------------------------------------------
# Backup
# ---------------------------------------------------------------------------------------------


def record_backup(*, directory: Path, now: datetime | None = None) -> Backup:
    """Writes a new backup under ``directory`` and returns it. Files the database names but the storage
    lacks are listed in the manifest: under "lost" when the pdf worker settled the loss and a newer version
    of the pact, copied into this backup, matches its SHA-256; under "missing" otherwise (the backup is
    still written: it is the best there is)."""
    now = now or datetime.now(UTC)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    final = directory / f"thidua-{now:%Y%m%d-%H%M%S}"
    partial = final.with_name(final.name + ".partial")
    if final.exists() or partial.exists():
        raise RecordError(f"{final} already exists")
    # Personal data: readable by the owner of the backup only.
    partial.mkdir(mode=0o700)
    try:
        if _engine() == "postgresql":
            database_file, names, known_lost = _pg_dump(partial / PG_DUMP)
        else:
            database_file, names, known_lost = _sqlite_copy(partial / SQLITE_COPY)
        files, absent = _copy_files_out(names, partial / MEDIA)
        replaced = replaced_in_backup(absent, known_lost, files)
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "engine": _engine(),
            "database": {"file": database_file.name, **_describe(database_file)},
            "files": files,
            "missing": [name for name in absent if name not in replaced],
            "lost": replaced,
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return Backup(path=final, manifest=manifest)


def _engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def _pg_dump(target: Path) -> tuple[Path, list[str], dict[str, set[tuple[str, str]]]]:
    """pg_dump -Fc in a snapshot exported by a read-only repeatable-read transaction that also lists the files."""
    raw = connection.Database.connect(**connection.get_connection_params())
    try:
        raw.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with raw.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            names = referenced_files_sql(cursor, connection.ops.quote_name)
            known_lost = known_lost_files_sql(cursor, connection.ops.quote_name)
            # The exporting transaction stays open until pg_dump has finished with its snapshot.
            _run(["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={target}"])
        raw.rollback()
    finally:
        raw.close()
    return target, names, known_lost


def _sqlite_copy(target: Path) -> tuple[Path, list[str], dict[str, set[tuple[str, str]]]]:
    source = sqlite3.connect(f"file:{settings.DATABASES['default']['NAME']}?mode=ro", uri=True)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        names = referenced_files_sql(copy.cursor(), _sqlite_quote)
        known_lost = known_lost_files_sql(copy.cursor(), _sqlite_quote)
    finally:
        copy.close()
        source.close()
    return target, names, known_lost


def _sqlite_quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _copy_files_out(names: list[str], media: Path) -> tuple[dict[str, dict], list[str]]:
    files: dict[str, dict] = {}
    missing: list[str] = []
    for name in names:
        if not default_storage.exists(name):
            missing.append(name)
            continue
        target = _inside(media, name)
        target.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as stored, target.open("wb") as copy:
            shutil.copyfileobj(stored, copy, CHUNK)
        files[name] = _describe(target)
    return files, missing


# ---------------------------------------------------------------------------------------------
# Restore
# ---------------------------------------------------------------------------------------------


def backup_load(path: Path) -> Backup:
    """Reads a backup and checks every part against its manifest before anything is restored from it."""
    path = Path(path)
    manifest_path = path / MANIFEST
    if not manifest_path.is_file():
        raise RecordError(f"{path} is not a backup: it has no {MANIFEST}")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise RecordError(f"{path}: unknown backup format {manifest.get('format')!r}")
    parts = {manifest["database"]["file"]: manifest["database"]["sha256"]}
    parts.update({f"{MEDIA}/{name}": entry["sha256"] for name, entry in manifest["files"].items()})
    for relative, expected in parts.items():
        part = _inside(path, relative)
        if not part.is_file():
            raise RecordError(f"{path}: {relative} is missing from the backup")
        if _describe(part)["sha256"] != expected:
            raise RecordError(f"{path}: {relative} does not match its SHA-256 in the manifest")
    return Backup(path=path, manifest=manifest)


def record_restore(*, backup: Backup, replace: bool = False, restore_privileges: bool = True) -> RecordCheck:
    """Restores the database and the files of a checked backup into DATABASE_URL and the default storage,
    then verifies the record there. Refuses a database that already holds tables, or a different file of
    the same name, unless ``replace``: then the backup's tables are dropped and restored, its files win."""
    engine = backup.manifest["engine"]
    if engine != _engine():
        raise RecordError(f"this backup is of a {engine} database; DATABASE_URL names a {_engine()} one")
    if not replace and _database_has_tables():
        raise RecordError(
            f"the database {settings.DATABASES['default']['NAME']} already holds tables: restore into an empty "
            "database (or pass --replace)"
        )
    _check_files_in(backup.manifest["files"], overwrite=replace)
    database_file = backup.path / backup.manifest["database"]["file"]
    connection.close()
    if engine == "postgresql":
        _pg_restore(database_file, replace=replace, restore_privileges=restore_privileges)
    else:
        _sqlite_restore(database_file)
    check = _copy_files_in(backup)
    restored = record_verify()
    restored.problems[:0] = check.problems
    return restored


def _database_has_tables() -> bool:
    if _engine() == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'")
            return cursor.fetchone()[0] > 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') "
            "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
            "AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'"
        )
        return cursor.fetchone()[0] > 0


def _pg_restore(dump: Path, *, replace: bool, restore_privileges: bool) -> None:
    # One transaction: a failed restore leaves the database empty, not half filled. The owner is whoever
    # restores (the schema owner of the new server); the grants to the application's role come back with
    # the privileges, so that role must exist first (README, "Sao lưu và khôi phục").
    command = ["pg_restore", "--no-owner", "--single-transaction", "--exit-on-error", "--dbname", _pg_database()]
    if replace:
        command += ["--clean", "--if-exists"]
    if not restore_privileges:
        command.append("--no-privileges")
    try:
        _run([*command, str(dump)])
    except RecordError as exc:
        if "role" in str(exc) and "does not exist" in str(exc):
            raise RecordError(
                f"{exc}\nNothing was restored. Create the application's role first (README, 'Vai trò cơ sở dữ "
                "liệu'), or pass --no-privileges and grant it afterwards (manage.py db_grant_app_role)."
            ) from exc
        raise


def _sqlite_restore(copy: Path) -> None:
    target = Path(settings.DATABASES["default"]["NAME"])
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    restored = sqlite3.connect(target)
    try:
        source.backup(restored)
    finally:
        restored.close()
        source.close()


def _check_files_in(files: dict[str, dict], *, overwrite: bool) -> None:
    """Refuses to restore over a different file of the same name (unless overwriting): it may be evidence."""
    if overwrite:
        return
    for name, entry in files.items():
        actual = storage_sha256(name)
        if actual is not None and actual != entry["sha256"]:
            raise RecordError(f"the storage already holds a different {name}")


def _copy_files_in(backup: Backup) -> RecordCheck:
    check = RecordCheck()
    for name, entry in backup.manifest["files"].items():
        actual = storage_sha256(name)
        if actual != entry["sha256"]:
            if actual is not None:
                default_storage.delete(name)
            with _inside(backup.path / MEDIA, name).open("rb") as source:
                saved = default_storage.save(name, File(source, name=PurePosixPath(name).name))
            if saved != name:
                raise RecordError(f"the storage saved {name} as {saved}")
        if storage_sha256(name) != entry["sha256"]:
            check.problems.append(f"file {name}: restored, but its SHA-256 differs from the backup's")
    return check


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _sha256_stream(stream) -> str:
    digest = hashlib.sha256()
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def _describe(path: Path) -> dict:
    with path.open("rb") as stream:
        return {"sha256": _sha256_stream(stream), "bytes": path.stat().st_size}


def _inside(root: Path, name: str) -> Path:
    """root/name, refusing a name that would lead outside root (names come from database rows)."""
    relative = PurePosixPath(name)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise RecordError(f"refusing the file name {name!r}")
    return root.joinpath(*relative.parts)


def _pg_environment() -> dict[str, str]:
    """libpq's variables for DATABASE_URL: the password never appears on a command line."""
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    values = {
        "PGHOST": db.get("HOST") or "",
        "PGPORT": str(db.get("PORT") or ""),
        "PGUSER": db.get("USER") or "",
        "PGPASSWORD": db.get("PASSWORD") or "",
        "PGDATABASE": db["NAME"],
        "PGSSLMODE": (db.get("OPTIONS") or {}).get("sslmode", ""),
    }
    env.update({key: value for key, value in values.items() if value})
    return env


def _pg_database() -> str:
    return settings.DATABASES["default"]["NAME"]


def _run(command: list[str]) -> None:
    try:
        result = subprocess.run(command, env=_pg_environment(), capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError as exc:
        raise RecordError(f"{command[0]} is not installed (Debian: apt-get install postgresql-client)") from exc
    if result.returncode != 0:
        raise RecordError(f"{command[0]} failed ({result.returncode}): {result.stderr.strip()}")

"""Where files go: the local disk by default, a private S3-compatible bucket when the environment names one."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

BUCKET = {
    "AWS_STORAGE_BUCKET_NAME": "thidua-files",
    "AWS_S3_ENDPOINT_URL": "http://minio:9000",
    "AWS_ACCESS_KEY_ID": "portal",
    "AWS_SECRET_ACCESS_KEY": "portal-secret",
    "AWS_S3_REGION_NAME": "us-east-1",
}


def _storage(expression: str, **env: str) -> str:
    """Evaluates an expression on the default storage in a fresh process with only the chosen environment."""
    code = f"from django.core.files.storage import storages; s = storages['default']; print(({expression}))"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=Path(settings.BASE_DIR),
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_without_a_bucket_files_stay_on_the_local_disk_under_media_root(tmp_path):
    media = tmp_path / "media"
    assert _storage("type(s).__name__, s.location", MEDIA_ROOT=str(media)) == str(("FileSystemStorage", str(media)))


def test_with_a_bucket_files_go_to_that_store_through_its_endpoint_with_its_credentials():
    expression = "type(s).__name__, s.bucket_name, s.endpoint_url, s.access_key, s.secret_key, s.region_name"
    assert _storage(expression, **BUCKET) == str(
        ("S3Storage", "thidua-files", "http://minio:9000", "portal", "portal-secret", "us-east-1")
    )


def test_the_bucket_is_private_its_links_signed_and_short_lived_and_no_file_is_overwritten():
    expression = "s.default_acl, s.querystring_auth, s.querystring_expire, s.file_overwrite, s.addressing_style"
    assert _storage(expression, **BUCKET) == str((None, True, 300, False, "path"))
    url = _storage("s.url('pacts/2026/ABC-v1.pdf')", **BUCKET)
    assert url.startswith("http://minio:9000/thidua-files/pacts/2026/ABC-v1.pdf?")
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=300" in url


def test_the_store_s_secret_key_may_come_from_a_file(tmp_path):
    secret = tmp_path / "aws_secret_access_key"
    secret.write_text("from-a-docker-secret\n")
    env = {name: value for name, value in BUCKET.items() if name != "AWS_SECRET_ACCESS_KEY"}
    assert _storage("s.secret_key", **env, AWS_SECRET_ACCESS_KEY_FILE=str(secret)) == "from-a-docker-secret"

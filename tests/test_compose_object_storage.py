"""The compose file's optional object storage: MinIO and its bucket, only with the profile "s3"."""

import re

from tests.test_compose import REQUIRED, docker_compose, run_config, service_blocks

__all__ = ["docker_compose"]  # the fixture, shared with tests/test_compose.py

BUCKET = {
    "AWS_STORAGE_BUCKET_NAME": "thidua-files",
    "AWS_ACCESS_KEY_ID": "portal",
    "AWS_SECRET_ACCESS_KEY": "s3-secret-key",
}


def test_minio_and_its_bucket_start_only_with_the_s3_profile_and_use_the_portals_credentials(docker_compose, tmp_path):
    result = run_config(docker_compose, tmp_path, {**REQUIRED, **BUCKET})
    assert result.returncode == 0, result.stderr
    services = service_blocks(result.stdout)
    for name in ("minio", "minio-bucket"):
        assert re.search(r"^    profiles:\n    - s3$", services[name], re.MULTILINE), services[name]
    assert "MINIO_ROOT_USER: portal" in services["minio"] and "MINIO_ROOT_PASSWORD: s3-secret-key" in services["minio"]
    bucket = services["minio-bucket"]
    assert "MC_HOST_thidua: http://portal:s3-secret-key@minio:9000" in bucket
    assert "- --ignore-existing\n    - thidua/thidua-files" in bucket
    assert "condition: service_healthy" in bucket
    # No anonymous policy is ever set: the files are served by the portal, never straight from the bucket.
    assert "anonymous" not in "".join(services.values()) and "public" not in bucket


def test_without_object_storage_settings_the_file_still_validates(docker_compose, tmp_path):
    result = run_config(docker_compose, tmp_path, REQUIRED, "-q")
    assert result.returncode == 0, result.stderr

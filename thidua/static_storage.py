"""Production's static files storage: a page whose static file is not in the manifest still renders.

Whitenoise's manifest storage raises "Missing staticfiles manifest entry" from inside `{% static %}`, so a
server started without `collectstatic` answered 500 on every page while /healthz said 200. Here a missing
entry links the file by its plain name instead (served if collectstatic copied it, a 404 for that file
otherwise), the error is logged once per name, and /readyz (thidua/health.py) answers 503 until the
manifest is there: the failure shows where it belongs, and pages stay readable.
"""

import logging

from whitenoise.storage import CompressedManifestStaticFilesStorage

logger = logging.getLogger(__name__)


class ForgivingManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    manifest_strict = False

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._reported: set[str] = set()

    def stored_name(self, name: str) -> str:
        try:
            return super().stored_name(name)
        except ValueError:
            # Not in the manifest and not on disk to hash: nothing a page can do but link the plain name.
            if name not in self._reported:
                self._reported.add(name)
                if self.hashed_files:
                    # The manifest is there: a name it does not hold is one nothing collected (whitenoise asks
                    # about the unminified sources and maps the minified files name), not a step IT missed.
                    logger.debug("Static file %r is not in the manifest.", name)
                else:
                    logger.error("Static file %r is not in the manifest: run `manage.py collectstatic`.", name)
            return name

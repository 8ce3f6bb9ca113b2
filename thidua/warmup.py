"""What gunicorn's master loads before it forks its workers (thidua/wsgi.py, run once with --preload), so
that a new worker, and one recycled by --max-requests, answers its first request as fast as its hundredth.
Without it every worker loads on its first request the URLconf with every view (and WeasyPrint, which the
PDF views import: 0.6 s), compiles the templates it renders and reads the translation catalogues: a
request queued behind a recycled worker waited half a second (bench/pages_load.py, single-request p95)."""

from pathlib import Path

from django.conf import settings
from django.db import connections
from django.forms.renderers import get_default_renderer
from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
from django.template.utils import get_app_template_dirs
from django.urls import URLResolver, get_resolver
from django.urls.resolvers import get_ns_resolver
from django.utils import translation


def template_names(engine) -> list[str]:
    """Every template a Django template engine can find: its folders, and the installed apps' if it reads them."""
    folders = [Path(folder) for folder in engine.dirs]
    if engine.app_dirs:
        folders += [Path(folder) for folder in get_app_template_dirs("templates")]
    names = set()
    for folder in folders:
        names.update(str(path.relative_to(folder)) for path in folder.rglob("*.html") if path.is_file())
    return sorted(names)


def compile_templates(engine, prefix: str = "") -> int:
    compiled = 0
    for name in template_names(engine):
        if not name.startswith(prefix):
            continue
        try:
            engine.get_template(name)  # kept by the cached loader, shared by the forked workers
        except (TemplateDoesNotExist, TemplateSyntaxError, ImportError):
            continue  # a library's template for a tag library this project does not install
        compiled += 1
    return compiled


def fill_reverse_maps(resolver: URLResolver) -> None:
    """The reverse maps, in the active language, of the resolver and of the resolvers that ``reverse`` makes
    for its namespaces ("regions:unit_detail": django.urls.base.reverse, one level of namespace as here):
    each is built on its first reverse, 4 ms on a worker's first page."""
    resolver.reverse_dict  # noqa: B018 (built when first read)
    for extra, namespaced in resolver.namespace_dict.values():
        get_ns_resolver(extra, namespaced, tuple(namespaced.pattern.converters.items())).reverse_dict  # noqa: B018


def warm() -> int:
    """Loads the views, compiles the templates (the pages' and the form widgets') and reads the catalogues;
    returns how many templates. It opens no database connection (the workers must not share one)."""
    get_resolver().url_patterns  # noqa: B018 (imports every view module)
    compiled = compile_templates(engines["django"].engine)
    compiled += compile_templates(get_default_renderer().engine.engine, prefix="django/forms/")  # the widgets
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            translation.gettext("Home")
            fill_reverse_maps(get_resolver())  # a map for each language
    connections.close_all()
    return compiled

import factory
from factory.django import DjangoModelFactory

from regions import services
from regions.models import Region, Unit


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region

    name = factory.Sequence(lambda n: f"Khu vực thi đua số {n}")
    slug = factory.Sequence(lambda n: f"khu-vuc-{n}")


def make_unit(name: str, kind: str = Unit.Kind.SO_TU_PHAP, **kwargs) -> Unit:
    """A unit made through the service, so it has its first name in the history."""
    return services.unit_create(name=name, kind=kind, **kwargs)


def make_region(name: str = "Khu vực thi đua miền Đông Nam bộ", **kwargs) -> Region:
    from datetime import date

    return services.region_create(name=name, effective=kwargs.pop("effective", date(2012, 1, 1)), **kwargs)

"""factory_boy factories shared by the tests."""

import factory
from factory.django import DjangoModelFactory

from accounts.models import Role, User
from accounts.services import user_set_roles
from regions.models import Unit

PASSWORD = "Mat-khau-thu-2026"


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"Sở Tư pháp tỉnh Thử Nghiệm {n}")
    kind = Unit.Kind.SO_TU_PHAP


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"nguoidung{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    position = "Chuyên viên"
    email = factory.LazyAttribute(lambda u: f"{u.username}@thidua.example.vn")
    unit = factory.SubFactory(UnitFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        self.save()
        if extracted:
            user_set_roles(user=self, roles={Role(r) for r in extracted})

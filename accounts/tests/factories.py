import factory
from django.contrib.auth.models import Group

from accounts.choices import Role
from accounts.models import PlaceAssignment, User

PASSWORD = "a-test-password-123"


class UserFactory(factory.django.DjangoModelFactory):
    """`UserFactory(role=Role.FACILITATOR, places=["35.19.09.2010"])`."""

    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get(name=Role(extracted).value))

    @factory.post_generation
    def places(self, create, extracted, **kwargs):
        for code in extracted or []:
            PlaceAssignment.objects.create(user=self, region_id=code)

import factory
from allauth.account.models import EmailAddress

from accounts import services
from accounts.models import User

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    """A signed-up user with a verified e-mail address, as sign-up leaves one."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.jp")
    display_name = factory.Sequence(lambda n: f"利用者 {n}")
    language = "ja"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        display_name = kwargs.pop("display_name")
        language = kwargs.pop("language")
        password = kwargs.pop("password", PASSWORD)
        user = model_class.objects.create_user(password=password, **kwargs)
        services.complete_signup(
            user, display_name=display_name, language=language, recommendations=False
        )
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        return user


TOTP_SECRET = "JBSWY3DPEHPK3PXP"


def with_second_factor(user: User, secret: str = TOTP_SECRET) -> User:
    """Staff work only with a second factor enrolled (accounts.two_factor): give `user`
    an authenticator app, as the enrolment guide would."""
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(user, secret)
    return user

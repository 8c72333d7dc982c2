from django.utils.functional import SimpleLazyObject


def user_places(request):
    """The signed-in user's places for the top bar, queried only if a template uses them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from .selectors import user_place_regions

    return {"user_places": SimpleLazyObject(lambda: user_place_regions(user))}

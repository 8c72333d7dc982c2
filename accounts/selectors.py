from locations.models import Region


def user_place_regions(user):
    """The regions a user is assigned to, cached on the user object for the request."""
    cached = getattr(user, "_place_regions", None)
    if cached is None:
        cached = list(Region.objects.filter(assignments__user=user).order_by("code"))
        user._place_regions = cached
    return cached

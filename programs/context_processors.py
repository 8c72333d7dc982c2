from . import selectors


def program_nav(request):
    """`sees_coverage`: whether the program pages link to the facilitators' coverage,
    which only the officers who assign facilitators may open. A plain value, so that a
    list's `{% once %}` part can name it (a part cannot read the request)."""
    user = getattr(request, "user", None)
    return {"sees_coverage": user is not None and selectors.sees_coverage(user)}

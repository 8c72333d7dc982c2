from django.shortcuts import render

from accounts.selectors import user_place_regions


def home(request):
    """The user's start page: their role and places, each a way into the region tree."""
    return render(request, "home.html", {"places": user_place_regions(request.user)})

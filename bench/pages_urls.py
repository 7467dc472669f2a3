"""The app's URLs plus the benchmark's reference: a login-required view that renders
only base.html (session, user, middleware, context processors, base template). It exists
only in bench/pages.py's processes, never as a URL of the app."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path

from foorumix.urls import handler403, handler404, handler429, handler500, urlpatterns  # noqa: F401


@login_required
def bare(request):
    return render(request, "base.html")


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *urlpatterns]

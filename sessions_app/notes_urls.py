"""Session notes URLs (filled by the notes work)."""

app_name = "notes"
urlpatterns: list = []

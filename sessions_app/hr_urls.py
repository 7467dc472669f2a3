"""HR aggregate and pulse URLs (filled by the HR work)."""

app_name = "hr"
urlpatterns: list = []

from django.contrib import admin
from django.urls import include, path, re_path

from reservations.views import spa_index

admin.site.site_header = "Seat reservations"
admin.site.site_title = "Seat reservations admin"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("reservations.urls")),
    # Client-side routes of the React app; never /api/, /admin/ or /static/.
    re_path(r"^(?!api/|api$|admin/|admin$|static/).*$", spa_index, name="spa"),
]

from django.contrib import admin
from django.urls import path, re_path

from reservations.api import api
from reservations.views import spa_index

admin.site.site_header = "Seat reservations"
admin.site.site_title = "Seat reservations admin"


urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    # Client-side routes of the React app; never /api/, /admin/ or /static/.
    re_path(r"^(?!api/|api$|admin/|admin$|static/).*$", spa_index, name="spa"),
]

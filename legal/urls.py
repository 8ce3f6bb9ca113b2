from . import views

app_name = "legal"

urlpatterns = views.urlpatterns

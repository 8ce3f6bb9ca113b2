from .views import excel, regions, rosters, units

app_name = "regions"

urlpatterns = [*regions.urlpatterns, *units.urlpatterns, *rosters.urlpatterns, *excel.urlpatterns]

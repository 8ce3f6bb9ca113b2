from .views import excel, leaders, regions, rosters, units

app_name = "regions"

urlpatterns = [*regions.urlpatterns, *units.urlpatterns, *rosters.urlpatterns, *excel.urlpatterns, *leaders.urlpatterns]

"""Case pages: one namespace, three areas, each kept in its own module."""
from .urls_case import urlpatterns as case_patterns
from .urls_measures import urlpatterns as measure_patterns
from .urls_records import urlpatterns as record_patterns

app_name = "cases"

urlpatterns = case_patterns + record_patterns + measure_patterns

from django.urls import path

from . import views

app_name = "insights"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("wards/<str:code>/", views.ward, name="ward"),
    path("open-data/", views.open_data, name="open_data"),
    path("open-data/kpi_wards.csv", views.open_data_csv, name="csv"),
    path("open-data/kpi_wards.json", views.open_data_json, name="json"),
    path("open-data/kpi_wards.schema.json", views.schema, name="schema"),
    path(
        "open-data/kpi_submissions_per_dataset.csv",
        views.open_data_datasets_csv,
        name="datasets_csv",
    ),
    path(
        "open-data/kpi_submissions_per_dataset.schema.json",
        views.dataset_schema,
        name="dataset_schema",
    ),
]

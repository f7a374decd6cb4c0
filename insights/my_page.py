"""The KPI dashboard on My page (core.my_page), for those who may open it."""

from accounts import policy
from core import my_page


@my_page.register("insights.dashboard", template="insights/my_page.html", order=5)
def kpi_dashboard(request):
    if not policy.can(request.user, "insights.open_dashboard"):
        return None
    return {"all_wards": policy.can(request.user, "insights.view_all_kpis")}

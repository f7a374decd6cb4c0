"""Who may do what about contests: this app's rows of the policy table (accounts.policy).

Read a row as "<action> is allowed to <who>".
"""

from accounts import policy
from accounts.models import Role
from accounts.policy import role, superuser

# Datasets are shared by every contest, and editors build the contest landing pages
# that show them; importing only copies what a catalog already publishes.
dataset_curator = superuser | role(Role.CONTEST_ORGANIZER) | role(Role.EDITOR)

policy.register(
    {
        # Open datasets (no object: a catalog is asked, a dataset is created or updated)
        "contests.import_dataset": dataset_curator,
        # Our server fetches what the person asks for: only those who may import.
        "contests.search_catalog": dataset_curator,
    }
)

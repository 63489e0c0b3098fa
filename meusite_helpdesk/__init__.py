from . import controllers
from . import models


def post_init_hook(env):
    # Tickets created before the addon was installed get their customer code too.
    env["helpdesk.ticket"].with_context(active_test=False).search(
        [("meusite_code", "=", False)]
    )._meusite_assign_codes()

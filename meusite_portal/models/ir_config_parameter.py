from functools import cache

from lxml import etree

from odoo import api, models
from odoo.tools import file_open

# The one place each setting's default is written: installed as system parameters
# (noupdate), and read back from here when an admin deleted a number's parameter.
SETTINGS_DATA_FILE = "meusite_portal/data/ir_config_parameter_data.xml"


@cache
def settings_defaults(path=SETTINGS_DATA_FILE):
    """{key: value} of the ir.config_parameter records of a data file."""
    with file_open(path, "rb") as data_file:
        tree = etree.parse(data_file)
    return {
        record.findtext("field[@name='key']"): record.findtext("field[@name='value']")
        for record in tree.iterfind(".//record[@model='ir.config_parameter']")
    }


def setting_default(key):
    """For a settings field's ``default``: the value the data file installs."""
    return lambda settings: settings.env["ir.config_parameter"]._meusite_get_param(key)


class IrConfigParameter(models.Model):
    _inherit = "ir.config_parameter"

    @api.model
    def _meusite_get_param(self, key):
        """The value of one of our settings, as text (as ``get_param`` gives it).

        A missing parameter reads as its default from the settings data file, except an
        on/off setting: Odoo deletes a Boolean setting's parameter when it is unticked, so
        missing means off (``False``).
        """
        value = self.sudo().get_param(key)
        if value is False and not self._meusite_is_switch(key):
            value = settings_defaults().get(key, False)
        return value

    @api.model
    def _meusite_is_switch(self, key):
        return settings_defaults().get(key) in ("True", "False")

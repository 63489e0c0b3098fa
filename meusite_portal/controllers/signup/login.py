from odoo import http
from odoo.http import request

from odoo.addons.web.controllers.home import Home


class MeusiteLogin(Home):
    @http.route()
    def web_login(self, *args, **kw):
        response = super().web_login(*args, **kw)
        uid = request.session.uid
        if request.httprequest.method == "POST" and uid and hasattr(response, "set_cookie"):
            # The login page left a frontend_lang cookie in the browser's language, and
            # that cookie outranks the user's own language on portal pages: a Portuguese
            # customer on an English browser would get an English client area.
            lang = request.env["res.users"].sudo().browse(uid).lang
            if lang:
                response.set_cookie("frontend_lang", lang)
        return response

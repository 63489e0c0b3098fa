from odoo import http
from odoo.http import request


class MeusiteCaptchaController(http.Controller):
    @http.route("/meusite/captcha/<string:token>.png", type="http", auth="public",
                methods=["GET"], sitemap=False)
    def captcha_image(self, token):
        png = request.env["meusite.captcha"]._image(token)
        if png is None:
            raise request.not_found()
        return request.make_response(png, headers=[
            ("Content-Type", "image/png"),
            ("Cache-Control", "no-store"),
        ])

"""Benchmark of NFS-e issuing (meusite_nfse, issue 27).

1. Notes issued per second against the local Sefin double (in this process, mutual TLS with a
   test CA made now): for each note the cron's whole path: the DPS built from the invoice and
   the customer's l10n_br data, XSD validation, XMLDSig signature, gzip+base64 POST over mTLS,
   the answer unpacked, the DANFSe PDF made and both files stored on the invoice. Printed with
   the time of the DANFSe alone, its largest part.
2. The cost added to the billing run when the company issues on posting: posting N invoices
   with the setting on (each posting queues its note: company row lock, DPS number, insert,
   cron trigger) against the same with NFS-e off. Issuing itself happens later, in the cron.

Everything runs in one transaction rolled back at the end (the database is unchanged); the
issuing loop is told it runs under test so it does not commit per note.

    PYTHONPATH=/opt/odoo .venv/bin/python tests/bench/nfse.py --db <db> [--notes 40] [--posts 200]
"""

import argparse
import base64
import threading
import time

from benchenv import configure

import odoo
from odoo import SUPERUSER_ID, Command, api, fields


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--notes", type=int, default=40)
    parser.add_argument("--posts", type=int, default=200)
    args = parser.parse_args()
    configure(args.db)
    registry = odoo.modules.registry.Registry(args.db)
    from odoo.addons.meusite_nfse import sefin  # noqa: PLC0415 - after Odoo's set-up
    from odoo.addons.meusite_nfse.tests.doubles.sefin_double import SefinDouble  # noqa: PLC0415

    threading.current_thread().testing = True  # one transaction, rolled back: no commits
    double = SefinDouble().start()
    try:
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"lang": "pt_BR"})
            company = env.company
            cnpj = "11222333000181"
            company.partner_id.write(
                {"vat": "11.222.333/0001-81", "city_id": env.ref("l10n_br.city_br_006").id}
            )
            certificate = env["certificate.certificate"].create(
                {
                    "name": "bench",
                    "content": base64.b64encode(double.ca.client_pkcs12(cnpj, "x")),
                    "pkcs12_password": "x",
                    "company_id": company.id,
                }
            )
            company.write(
                {
                    "nfse_active": True,
                    "nfse_trigger": "paid",
                    "nfse_api_url": double.base_url,
                    "nfse_server_ca": double.ca.pem.decode(),
                    "nfse_certificate_id": certificate.id,
                    "nfse_im": "7654321",
                }
            )
            partner = env["res.partner"].create(
                {
                    "name": "Cliente Bench",
                    "vat": "529.982.247-25",
                    "country_id": env.ref("base.br").id,
                    "city_id": env.ref("l10n_br.city_br_006").id,
                    "zip": "30140-071",
                    "street": "Rua da Bahia 1000",
                    "street2": "Centro",
                }
            )
            product = env["product.product"].create(
                {"name": "Plano", "type": "service", "nfse_ctribnac": "010301"}
            )

            def invoices(count):
                return env["account.move"].create(
                    [
                        {
                            "move_type": "out_invoice",
                            "partner_id": partner.id,
                            "invoice_date": fields.Date.today(),
                            "invoice_line_ids": [
                                Command.create(
                                    {
                                        "product_id": product.id,
                                        "price_unit": 158.90,
                                        "tax_ids": [Command.clear()],
                                    }
                                )
                            ],
                        }
                        for _i in range(count)
                    ]
                )

            # 1. notes per second
            moves = invoices(args.notes)
            moves.action_post()
            env["meusite.nfse"]._enqueue(moves)
            env.flush_all()
            start = time.perf_counter()
            cpu = time.process_time()
            done = env["meusite.nfse"]._process_pending(limit=args.notes)
            wall = time.perf_counter() - start
            cpu = time.process_time() - cpu
            issued = done.filtered(lambda n: n.state == "issued")
            assert len(issued) == args.notes, done.mapped("message")
            xml = issued[0].xml_attachment_id.raw
            pdf_start = time.perf_counter()
            for _i in range(10):
                sefin.danfse_pdf(xml)
            pdf = (time.perf_counter() - pdf_start) / 10
            print(
                f"NFS-e issued: {len(issued)} in {wall:.2f} s = {len(issued) / wall:.1f} notes/s "
                f"({wall / len(issued) * 1000:.0f} ms each, {cpu / len(issued) * 1000:.0f} ms CPU "
                f"in this process, the double included; DANFSe alone {pdf * 1000:.0f} ms)"
            )

            # 2. the billing run's posting, with and without NFS-e on posting
            def post_time(active):
                company.write({"nfse_active": active, "nfse_trigger": "posted"})
                batch = invoices(args.posts)
                env.flush_all()
                start = time.perf_counter()
                for move in batch:  # the billing run posts invoice by invoice
                    move.action_post()
                env.flush_all()
                return (time.perf_counter() - start) / args.posts, batch

            off, _batch = post_time(False)
            on, batch = post_time(True)
            assert len(batch.nfse_ids) == args.posts
            print(
                f"Posting {args.posts} invoices: {off * 1000:.1f} ms each without NFS-e, "
                f"{on * 1000:.1f} ms with NFS-e on posting (+{(on - off) * 1000:.1f} ms, "
                f"{(on / off - 1) * 100:+.0f} %): the note queued, issued later by the cron"
            )
            cr.rollback()
    finally:
        double.stop()


if __name__ == "__main__":
    main()

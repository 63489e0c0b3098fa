def migrate(cr, version):
    """Captcha challenges became stateless (signed tokens): the table now only remembers
    answered nonces. The old rows (one per rendered form) and their columns go."""
    cr.execute("DELETE FROM meusite_captcha")
    cr.execute(
        "ALTER TABLE meusite_captcha DROP COLUMN IF EXISTS answer,"
        " DROP COLUMN IF EXISTS purpose, DROP COLUMN IF EXISTS used"
    )

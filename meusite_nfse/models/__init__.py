from . import account_move, meusite_nfse, product_template, res_city, res_company

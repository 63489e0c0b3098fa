from . import test_pagbank_flow
from . import test_pagbank_refusals
from . import test_pagbank_contract
from . import test_pagbank_tour
from . import test_invoice_pdf_pagbank
from . import test_payment_received
from . import test_signup_address

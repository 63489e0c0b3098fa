#!/usr/bin/env bash
# odoo.sh ARGS — odoo-bin with the project's addons path, data dir and database role.
source "$(dirname "$0")/common.sh"
check_odoo_src
odoo_bin "$@"

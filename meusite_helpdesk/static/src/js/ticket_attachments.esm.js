import publicWidget from "@web/legacy/js/public/public_widget";

// "Adicionar Mais": one more file input per click, each showing the chosen file's name.
publicWidget.registry.MeusiteTicketAttachments = publicWidget.Widget.extend({
    selector: ".o_meusite_attachments",
    events: {
        "change input[type=file]": "_onChangeFile",
        "click .o_meusite_add_file": "_onAddFile",
    },

    _onChangeFile(ev) {
        const input = ev.currentTarget;
        const label = input.closest(".o_meusite_file_row").querySelector(".o_meusite_file_name");
        label.textContent = input.files.length ? input.files[0].name : label.dataset.empty;
    },

    _onAddFile(ev) {
        ev.preventDefault();
        const rows = this.el.querySelector(".o_meusite_file_rows");
        const row = rows.querySelector(".o_meusite_file_row").cloneNode(true);
        const input = row.querySelector("input[type=file]");
        input.value = "";
        const label = row.querySelector(".o_meusite_file_name");
        label.textContent = label.dataset.empty || label.textContent;
        rows.appendChild(row);
    },
});

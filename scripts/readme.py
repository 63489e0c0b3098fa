#!/usr/bin/env python3
"""Build each addon's README.rst from the Markdown fragments in its readme/ folder.

OCA repositories do this with oca-gen-addon-readme (pandoc underneath); this is the small,
offline stand-in for our three addons. It converts only the Markdown our fragments use:
paragraphs, *emphasis*, **strong**, `code`, [links](url), bullet and numbered lists with
continuation lines, headings, fenced or indented code blocks and pipe tables.

    python3 scripts/readme.py [ADDON_DIR ...]          write README.rst (default: our addons)
    python3 scripts/readme.py --check [ADDON_DIR ...]  exit 1, naming the addons whose
                                                       README.rst differs from the fragments

readme/CONTEXT.md is developers' context: it stays out of README.rst.
"""

import argparse
import ast
import re
import sys
from pathlib import Path
from unicodedata import category

REPO = Path(__file__).resolve().parent.parent
ADDONS = (
    "meusite_portal", "meusite_moip_payment", "meusite_pagbank_payment", "meusite_helpdesk",
    "meusite_nfse", "meusite_test_full",
)
# The fragments README.rst is made of, in order, with their section heading (None: the
# introduction under the title). A missing or empty fragment is left out.
SECTIONS = (
    ("DESCRIPTION.md", None),
    ("CONFIGURE.md", "Configuration"),
    ("USAGE.md", "Usage"),
    ("INSTALL.md", "Installation"),
)
# Underline characters by level: the title, the sections, then the fragments' own headings.
ADORNMENTS = '=~^"'

BULLET = re.compile(r"^[-*+] ")
NUMBERED = re.compile(r"^(\d+)[.)] ")
HEADING = re.compile(r"^(#{1,6}) +(.*?)(?: +#+)? *$")
FENCE = re.compile(r"^(```|~~~)")
TABLE_RULE = re.compile(r"^\|? *:?-+:? *(\| *:?-+:? *)*\|? *$")
# Inline Markdown, tried left to right: a code span (with the *s around it, if any: rst
# cannot nest markup, so **`x`** becomes ``x``), then a link.
INLINE = re.compile(r"(\*{0,2})`([^`]+)`\1|\[([^\]]+)\]\(([^)\s]+)\)")


def inline(text):
    """Markdown inline markup to rst: `x` -> ``x``, [t](u) -> `t <u>`__.

    *emphasis* and **strong** are written the same in both. A trailing underscore on a
    word (a reference in rst) is escaped; so is markup glued to a word, with rst's
    escaped space.
    """
    out, pos = [], 0
    for m in INLINE.finditer(text):
        out.append(plain(text[pos : m.start()]))
        if m.group(2) is not None:
            rst = f"``{m.group(2)}``"
        else:
            rst = f"`{m.group(3)} <{m.group(4)}>`__"  # anonymous: the same text may recur
        if not may_touch_markup("".join(out)[-1:], "<", ("Ps", "Pi", "Pf", "Pd", "Po")):
            rst = "\\ " + rst
        if not may_touch_markup(text[m.end() : m.end() + 1], ">", ("Pe", "Pi", "Pf", "Pd", "Po")):
            rst += "\\ "
        out.append(rst)
        pos = m.end()
    out.append(plain(text[pos:]))
    return "".join(out)


def may_touch_markup(char, extra, categories):
    """Whether rst lets inline markup start after `char` (or end before it): nothing,
    whitespace, `extra` or punctuation of these Unicode categories."""
    return not char or char.isspace() or char == extra or category(char) in categories


def plain(text):
    """Text outside code spans: escape what rst would read as a reference (word_ or |x|)."""
    text = re.sub(r"(\w)_(?=\W|$)", r"\1\\_", text)
    return text.replace("|", "\\|")


def literal(lines, blocks):
    """A code block: rst's "::" (folded into a preceding "...:" paragraph, as rst allows)."""
    body = "\n".join("    " + line if line.strip() else "" for line in lines).rstrip()
    if blocks and blocks[-1].endswith(":") and not blocks[-1].endswith("::"):
        blocks[-1] += ":"
    else:
        blocks.append("::")
    blocks.append(body)


def table(rows):
    """A pipe table as an rst list-table (no column widths to compute)."""
    cells = [[c.strip() for c in row.strip().strip("|").split("|")] for row in rows]
    out = [".. list-table::", "   :header-rows: 1", ""]
    for row in cells:
        for i, cell in enumerate(row):
            out.append(("   * - " if i == 0 else "     - ") + inline(cell))
    return "\n".join(line.rstrip() for line in out)


def md_to_rst(md, level):
    """Convert one fragment; its headings go `level` and deeper (an index in ADORNMENTS)."""
    lines = md.expandtabs(4).splitlines()
    depths = [len(m.group(1)) for m in map(HEADING.match, lines) if m]
    top = min(depths, default=1)
    blocks, i = [], 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
        elif FENCE.match(line):  # ```lang ... ```
            end = i + 1
            while end < len(lines) and not lines[end].startswith(line[:3]):
                end += 1
            literal(lines[i + 1 : end], blocks)
            i = end + 1
        elif line.startswith("    "):  # indented code (a list's own lines are taken below)
            end = i
            while end < len(lines) and (lines[end].startswith("    ") or not lines[end].strip()):
                end += 1
            literal([x[4:] for x in lines[i:end]], blocks)
            i = end
        elif m := HEADING.match(line):
            title = inline(m.group(2))
            char = ADORNMENTS[min(level + len(m.group(1)) - top, len(ADORNMENTS) - 1)]
            blocks.append(f"{title}\n{char * len(title)}")
            i += 1
        elif line.startswith("|") and i + 1 < len(lines) and TABLE_RULE.match(lines[i + 1]):
            end = i + 2
            while end < len(lines) and lines[end].startswith("|"):
                end += 1
            blocks.append(table([lines[i]] + lines[i + 2 : end]))
            i = end
        elif BULLET.match(line) or NUMBERED.match(line):
            i = list_block(lines, i, blocks)
        else:  # a paragraph, up to a blank line or a block that may interrupt it
            end = i + 1
            while end < len(lines) and lines[end].strip() and not starts_block(lines[end]):
                end += 1
            blocks.append(inline("\n".join(x.strip() for x in lines[i:end])))
            i = end
    return "\n\n".join(blocks)


def starts_block(line):
    """Lines that end a paragraph without a blank line (CommonMark: a numbered list only
    when it starts at 1)."""
    m = NUMBERED.match(line)
    return bool(
        BULLET.match(line) or HEADING.match(line) or FENCE.match(line) or (m and m[1] == "1")
    )


def list_block(lines, i, blocks):
    """One bullet or numbered list from lines[i]; returns the index after it.

    An item's continuation lines (indented, or lazy ones right below it) are re-indented
    under its text; after a blank line, only indented lines still belong to the item.
    """
    items, bullets = [], bool(BULLET.match(lines[i]))
    while i < len(lines):
        m = BULLET.match(lines[i]) if bullets else NUMBERED.match(lines[i])
        if not m:  # not an item, or one of the other kind: a new list
            break
        marker = m.group(0).strip() + " "
        width = len(m.group(0))
        paras, para = [], [lines[i][width:].strip()]
        i += 1
        while i < len(lines):
            line = lines[i]
            if not line.strip():
                # A blank line: the item goes on only if an indented line follows.
                nxt = next((x for x in lines[i:] if x.strip()), "")
                if nxt.startswith(" " * width):
                    if para:
                        paras.append(para)
                    para = []
                    i += 1
                    continue
                break
            if starts_block(line) or NUMBERED.match(line):
                break
            para.append(line.strip())
            i += 1
        paras.append(para)
        pad = " " * len(marker)
        text = "\n\n".join(inline("\n".join(p)) for p in paras if p)
        text = "\n".join(pad + x if x else x for x in text.split("\n"))
        items.append(marker + text[len(pad) :])
        # A blank line between items keeps the list going; anything else ends it.
        if i < len(lines) and not lines[i].strip():
            nxt = next((j for j in range(i, len(lines)) if lines[j].strip()), len(lines))
            if nxt < len(lines) and (BULLET.match(lines[nxt]) or NUMBERED.match(lines[nxt])):
                i = nxt
            else:
                break
    # Items of several paragraphs need blank lines between them in rst.
    blocks.append(("\n\n" if any("\n\n" in x for x in items) else "\n").join(items))
    return i


def build(addon_dir):
    """The README.rst text of one addon."""
    manifest = ast.literal_eval((addon_dir / "__manifest__.py").read_text(encoding="utf-8"))
    title = manifest["name"]
    parts = [
        f"{title}\n{ADORNMENTS[0] * len(title)}",  # len() counts characters, not bytes
        "*This file is assembled from the fragments in* ``readme/``.",
    ]
    for fragment, heading in SECTIONS:
        path = addon_dir / "readme" / fragment
        md = path.read_text(encoding="utf-8").strip() if path.exists() else ""
        if not md:
            continue
        if heading:
            parts.append(f"{heading}\n{ADORNMENTS[1] * len(heading)}")
        parts.append(md_to_rst(md, 2 if heading else 1))
    return "\n\n".join(parts) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("addons", nargs="*", type=Path, help="addon directories")
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if a README.rst differs"
    )
    args = parser.parse_args()
    stale = []
    for addon_dir in args.addons or [REPO / name for name in ADDONS]:
        readme = addon_dir / "README.rst"
        text = build(addon_dir)
        current = readme.read_text(encoding="utf-8") if readme.exists() else None
        if current == text:
            continue
        stale.append(addon_dir.resolve().name)
        if not args.check:
            readme.write_text(text, encoding="utf-8")
            print(f"wrote {readme}")
    if args.check and stale:
        print("README.rst differs from its readme/ fragments: " + ", ".join(stale))
        return 1
    if args.check:
        print("readme: every README.rst is what its readme/ fragments give")
    return 0


if __name__ == "__main__":
    sys.exit(main())

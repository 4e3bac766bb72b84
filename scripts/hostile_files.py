#!/usr/bin/env python3
"""Writes hostile import files into a folder (issue 10), for measuring what reading them
costs: `scripts/hostile_files.py DIR`, then `/usr/bin/time -v malkart import målinger
DIR/NAME`. Each is small on disk; what each would cost a naive reader is in its name's
comment below. docs/benchmarks.md has the figures."""

import io
import sys
import zipfile
from pathlib import Path

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
HEADER = ["indikator", "enhet", "periode", "verdi"]


def workbook(sheet_data, dimension="A1", shared=None, declared=None):
    """A minimal .xlsx; `declared` maps a part name to a false uncompressed size."""
    parts = {
        "_rels/.rels": f'<?xml version="1.0"?><Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0"?><workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets><sheet name="Ark1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<?xml version="1.0"?><Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    }
    if shared is not None:
        parts["xl/sharedStrings.xml"] = f'<?xml version="1.0"?><sst xmlns="{MAIN}" {shared}</sst>'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        for name, text in parts.items():
            z.writestr(name, text)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=False) as f:
            f.write(f'<?xml version="1.0"?><worksheet xmlns="{MAIN}"><dimension ref="{dimension}"/><sheetData>'.encode())
            for chunk in sheet_data:
                f.write(chunk.encode())
            f.write(b"</sheetData></worksheet>")
    data = bytearray(buf.getvalue())
    for name, size in (declared or {}).items():
        raw = name.encode()
        for sig, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
            at = data.find(sig)
            while at >= 0:
                if data[at + name_at : at + name_at + len(raw)] == raw:
                    data[at + size_at : at + size_at + 4] = size.to_bytes(4, "little")
                at = data.find(sig, at + 4)
    return bytes(data)


def inline(ref, text):
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def header_row():
    cols = "ABCD"
    return '<row r="1">' + "".join(inline(f"{c}1", h) for c, h in zip(cols, HEADER)) + "</row>"


def main():
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile")
    out.mkdir(parents=True, exist_ok=True)
    files = {
        # A1 to XFD1048576 as a rectangle: 2^34 cells (~512 GB).
        "xfd1048576.xlsx": workbook(
            [header_row(), '<row r="1048576">', inline("XFD1048576", "x"), "</row>"],
            dimension="A1:XFD1048576",
        ),
        # A1 to XFD5000: 82 million cells (~2.5 GB).
        "xfd5000.xlsx": workbook(
            [header_row(), '<row r="5000">', inline("XFD5000", "x"), "</row>"],
            dimension="A1:XFD5000",
        ),
        # A reference far past Excel's limits.
        "zzzz99999999.xlsx": workbook(
            [header_row(), "<row>", inline("ZZZZ99999999", "x"), "</row>"]
        ),
        # The sheet claims 1 GB inflated.
        "zip-bomb.xlsx": workbook([header_row()], declared={"xl/worksheets/sheet1.xml": 1 << 30}),
        # A million rows and 140 MB of comments: inflates to about 240 MB (the limit is 256 MB)
        # from a file of a few hundred kB.
        "240mb-inflated.xlsx": workbook(
            [header_row()]
            + [
                '<row><c t="s"><v>0</v></c><c t="s"><v>1</v></c><c t="s"><v>2</v></c><c><v>5</v></c></row>'
                + ("<!--" + " " * 1000 + "-->" if r % 7 == 0 else "")
                for r in range(1_000_000)
            ],
            shared='uniqueCount="3"><si><t>BR-VENT</t></si><si><t>2100</t></si><si><t>2026-01</t></si>',
        ),
        # A shared-string table that claims 4·10^12 strings (calamine would reserve ~100 TB).
        "unique-count.xlsx": workbook(
            ['<row r="1"><c r="A1" t="s"><v>0</v></c></row>'],
            shared='uniqueCount="4000000000000"><si><t>indikator</t></si>',
        ),
        # One string of a million bytes in 60 cells: 60 MB of cell text from 1 MB.
        "shared-amplified.xlsx": workbook(
            [header_row()]
            + [f'<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>' for r in range(2, 62)],
            shared='uniqueCount="1"><si><t>' + "y" * 1_000_000 + "</t></si>",
        ),
        # 7.9 million cells (1 000 per row): under the 8 million cell limit.
        "many-cells.xlsx": workbook(
            [header_row()]
            + [
                f'<row r="{r}">' + "<c><v>1</v></c>" * 1000 + "</row>"
                for r in range(2, 7_902)
            ]
        ),
        # CSV: a header of 16 000 columns and 400 000 one-cell lines (padded to the
        # header's width that is 6.4·10^9 cells).
        "wide-header.csv": (";".join(HEADER) + ";" * 15_996 + "\n" + "x\n" * 400_000).encode(),
    }
    for name, data in files.items():
        (out / name).write_bytes(data)
        print(f"{name}: {len(data):,} bytes")


if __name__ == "__main__":
    main()

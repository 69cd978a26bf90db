"""Writes the hostile import files of issue 10 into a folder (standard library only).

    python3 bench/hostile_files.py OUT_DIR [--scale full|ci]

Each file is a deals import that must be refused with 422 `import_rejected` (or 413 `too_large`)
in milliseconds, without the server's memory growing past its stated bound:

  zero_cells.xlsx       a small .xlsx whose sheet inflates to 1 GiB of zero cells (ci: 320 MiB)
  lying_sizes.xlsx      the same, its archive claiming the sheet inflates to 1,000 bytes (the zip
                        reader refuses a part that inflates past its claim)
  corner_cells.xlsx     one cell at A1 and one at XFD1048576 (declared and real)
  shared_strings.xlsx   24 cells over one 60 MB shared string
  many_strings.xlsx     24 cells and 3,500,000 tiny shared strings (60 MB of XML)
  sparse_rows.xlsx      one cell at A1 and one at Z1000000
  million_columns.csv   a header of 1,000,000 columns
  million_errors.csv    200,000 rows of 5 errors each: 1,000,000 errors to count, a thousand to show
  long_cell.csv         one cell of 100,000 characters
"""
import os
import sys
import zipfile

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
SHEET_TAIL = "</sheetData></worksheet>"


def xlsx(path, sheet_chunks, strings_chunks=(), zip64=True):
    """A workbook whose sheet and shared strings are written from chunks (streamed, deflated)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                       b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            for chunk in strings_chunks:
                part.write(chunk)
            part.write(b"</sst>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=zip64) as part:
            for chunk in sheet_chunks:
                part.write(chunk)


def zero_cells(inflated):
    row = b"<row>" + b"<c><v>0</v></c>" * 16 + b"</row>"
    block = row * 4096
    yield (SHEET_HEAD + "<sheetData>").encode()
    written = 0
    while written < inflated:
        yield block
        written += len(block)
    yield SHEET_TAIL.encode()


def lie_about_sizes(path, member, claimed):
    """Rewrites the uncompressed size the central directory gives `member` (a zip without
    zip64 records), as a hostile archive would."""
    data = bytearray(open(path, "rb").read())
    name = member.encode()
    at = data.find(b"PK\x01\x02")
    while at != -1:
        name_len = int.from_bytes(data[at + 28:at + 30], "little")
        if data[at + 46:at + 46 + name_len] == name:
            data[at + 24:at + 28] = claimed.to_bytes(4, "little")
        at = data.find(b"PK\x01\x02", at + 4)
    open(path, "wb").write(bytes(data))


def cells(refs_and_values, dimension=None):
    head = SHEET_HEAD + (f'<dimension ref="{dimension}"/>' if dimension else "") + "<sheetData>"
    body = "".join(
        f'<row r="{r}"><c r="{ref}"{t}><v>{v}</v></c></row>' for r, ref, t, v in refs_and_values
    )
    yield (head + body + SHEET_TAIL).encode()


def twenty_four_shared(index_of):
    rows = []
    for r in range(1, 5):
        for c in "ABCDEF":
            rows.append(f'<c r="{c}{r}" t="s"><v>{index_of(r, c)}</v></c>')
    body = "".join(f'<row r="{r}">{"".join(rows[(r - 1) * 6:r * 6])}</row>' for r in range(1, 5))
    yield (SHEET_HEAD + "<sheetData>" + body + SHEET_TAIL).encode()


def giant_string():
    yield b"<si><t>"
    chunk = "专利".encode() * (1 << 16)
    for _ in range(60_000_000 // len(chunk)):
        yield chunk
    yield b"</t></si>"


def tiny_strings(count):
    block = b"<si><t>a</t></si>" * 10_000
    for _ in range(count // 10_000):
        yield block


def csv(path, lines):
    with open(path, "wb") as f:
        for line in lines:
            f.write(line)


def main(out, scale):
    os.makedirs(out, exist_ok=True)
    inflated = (1 << 30) if scale == "full" else (320 << 20)
    xlsx(os.path.join(out, "zero_cells.xlsx"), zero_cells(inflated))
    lying = os.path.join(out, "lying_sizes.xlsx")
    xlsx(lying, zero_cells(inflated), zip64=False)
    lie_about_sizes(lying, "xl/worksheets/sheet1.xml", 1000)
    xlsx(os.path.join(out, "corner_cells.xlsx"),
         cells([(1, "A1", "", 1), (1048576, "XFD1048576", "", 2)], "A1:XFD1048576"))
    xlsx(os.path.join(out, "shared_strings.xlsx"), twenty_four_shared(lambda r, c: 0), giant_string())
    xlsx(os.path.join(out, "many_strings.xlsx"), twenty_four_shared(lambda r, c: r), tiny_strings(3_500_000))
    xlsx(os.path.join(out, "sparse_rows.xlsx"), cells([(1, "A1", "", 1), (1000000, "Z1000000", "", 2)]))
    csv(os.path.join(out, "million_columns.csv"),
        [",".join(f"c{i}" for i in range(1_000_000)).encode() + b"\n"])
    header = "类型,金额(元),合同日期,专利号,交易对方统一社会信用代码\n".encode()
    bad = "许可,-1,2099-13-45,不是专利号；也不是,不是代码\n".encode()
    csv(os.path.join(out, "million_errors.csv"), [header] + [bad] * 200_000)
    csv(os.path.join(out, "long_cell.csv"), [header, ("许可,1," + "长" * 100_000 + ",,\n").encode()])


if __name__ == "__main__":
    scale = "full"
    if "--scale" in sys.argv:
        scale = sys.argv[sys.argv.index("--scale") + 1]
    main(sys.argv[1], scale)

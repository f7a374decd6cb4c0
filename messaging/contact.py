"""Spotting contact details (e-mail addresses, phone numbers) in a message before a match.

Before a match, the board keeps each side's contact details private; someone may still
choose to share theirs, so a message that seems to contain them is held back until the
sender confirms (messaging.services.send_message).
"""

import re
import unicodedata

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Japanese numbers: 0 then 9–10 more digits (mobile 090-…, Tokyo 03-…), or +81 …,
# with hyphens, spaces, dots or brackets between the groups.
PHONE = re.compile(r"(?:\+81[\s.-]?|0)\d{1,4}[\s.()\-]*\d{1,4}[\s.()\-]*\d{3,4}")
# Dashes NFKC leaves alone but people type between the groups of a number: the minus sign
# (０９０−１２３４−５６７８), the long vowel mark (ー) and the Unicode hyphens and dashes.
DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc", "-"))


def _digits(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def contains_contact_details(text: str) -> bool:
    # NFKC turns full-width ＠ and ０９０ into their ASCII forms first.
    text = unicodedata.normalize("NFKC", text).translate(DASHES)
    if EMAIL.search(text):
        return True
    return any(9 <= _digits(match.group()) <= 12 for match in PHONE.finditer(text))

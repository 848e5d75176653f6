"""The Section 9 index (ดัชนีข้อมูลข่าวสาร): entries, files, search, API, import and export."""

"""Section 11 requests (คำขอข้อมูลข่าวสาร): intake, due dates, steps, outcomes, letters, e-mail."""

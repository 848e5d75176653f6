"""The office's integrity and transparency action plan (ITA), its activities and their evidence."""

"""The public home page, the staff landing page and shared static files."""

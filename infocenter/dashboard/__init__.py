"""The staff dashboard: this fiscal quarter at a glance, from the same statistics as the PDF
report."""

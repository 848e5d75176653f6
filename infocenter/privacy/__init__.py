"""Personal data under the PDPA: the privacy notice and the retention purge."""

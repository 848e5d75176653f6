"""PDF documents: the quarterly statistics report, the printed index, and their Thai typography."""

"""PDF documents: the quarterly statistics report and the printed index (Thai typography:
``infocenter.pdf``)."""

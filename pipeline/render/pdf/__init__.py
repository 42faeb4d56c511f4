"""Semantic HTML → a tagged, print-ready PDF through WeasyPrint, reading only allowed files.

writer.py makes one PDF; process.py keeps what a worker makes once for every document (fonts,
compiled stylesheets); overflow.py reads the laid-out pages for text that does not fit; fetcher.py
is the only way WeasyPrint reads a file; fontconfig.py points fontconfig at the bundled fonts.
"""

from pipeline.render.pdf.writer import PdfJob, PdfVariant, render_pdf

__all__ = ["PdfJob", "PdfVariant", "render_pdf"]

"""Semantic HTML → a tagged, print-ready PDF through WeasyPrint, reading only allowed files.

writer.py makes one PDF; process.py loads WeasyPrint with the bundled fonts and keeps what a worker
makes once for every document (fonts, compiled stylesheets); overflow.py reads the laid-out pages
for text that does not fit; fetcher.py is the only way WeasyPrint reads a file; fontconfig.py points
fontconfig at the bundled fonts, and is imported before WeasyPrint, so this file imports nothing.
"""

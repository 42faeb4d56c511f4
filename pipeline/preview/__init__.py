"""`rolepack preview`: one role's job page, printed documents and files, served on this machine
and rebuilt on every save.

builder.py builds the role with the real build engine into a private folder; packet.py draws the
print HTML as sheets on a screen; pages.py is what the preview adds to each page (links, the
reload script, the error page, its CSP); server.py serves it on 127.0.0.1; watch.py rebuilds on
save; session.py ties them together and stops cleanly.
"""

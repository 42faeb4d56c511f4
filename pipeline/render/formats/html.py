"""HTML: the careers site. A standalone, accessible job page per role and, per brand, the pages
they share: the careers index, the sitemap, the stylesheet, the logo and the web fonts.

Everything a page needs is inside `<out>/<brand>/site/`, so the folder can be copied to any web
server; no page fetches anything from elsewhere.
"""

from __future__ import annotations

from pipeline.check.brands import LoadedBrand
from pipeline.render.formats import Format, Rendered, RenderJob, SitePage

SITE = "site"


def site_pages(brand: LoadedBrand) -> tuple[SitePage, ...]:
    from pipeline.render.posting.webfonts import web_faces

    pages = [SitePage("careers-index", f"{SITE}/index.html", "web/careers-index.html.j2"),
             SitePage("stylesheet", f"{SITE}/assets/site.css", "web/site.css.j2", lists_roles=False)]
    if brand.brand.logo:
        pages.append(SitePage("logo", f"{SITE}/assets/{brand.brand.logo}", lists_roles=False))
    if brand.brand.site_url:  # a sitemap lists absolute addresses: only a site that knows its own has one
        pages.append(SitePage("sitemap", f"{SITE}/sitemap.xml", "web/sitemap.xml.j2"))
    pages += [SitePage(f"font:{face.file}", f"{SITE}/assets/fonts/{face.file}", lists_roles=False)
              for face in web_faces(brand)]
    return tuple(pages)


def render(job: RenderJob) -> Rendered:
    if job.kind == "logo" and job.brand.logo is not None:
        return Rendered(job.brand.logo.read_bytes())
    if job.kind.startswith("font:"):
        from pipeline.render.posting.webfonts import web_faces, woff2

        face = next(f for f in web_faces(job.brand) if f"font:{f.file}" == job.kind)
        return Rendered(woff2(face.source))
    return Rendered(job.html.encode("utf-8"))


FORMAT = Format("html", "html", ("job-description",), render, layout="web/{kind}.html.j2",
                path="{brand}/" + SITE + "/{role}.html", site=site_pages, cost=0.1, publishes=True,
                closed_layout="web/closed.html.j2")

"""Saved news pages for the tests and the extraction benchmark: a site's chrome around an
article's own paragraphs (navigation, scripts, ads, JSON-LD, a publication date in the page's
metadata, asides and a footer), in a few templates as different sites lay them out."""

from __future__ import annotations

import datetime as dt
import json
from html import escape

__all__ = ["TEMPLATES", "news_page"]

_NAV = "".join(
    f'<li><a href="/{s.lower()}">{s}</a></li>'
    for s in ("Home", "Markets", "Mining", "Energy", "Policy", "Opinion", "Sport", "Subscribe")
)
_SCRIPT = """<script>window.dataLayer=window.dataLayer||[];
function gtag(){dataLayer.push(arguments)} gtag('js',new Date());
var ads={slots:["top","side"],refresh:30};if(1<2){console.log("ready")}
</script>"""
_ASIDE = """<aside class="most-read"><h3>Most read</h3><ol><li><a href="/a">Gold hits a record
as investors seek safety</a></li><li><a href="/b">Five charts on the copper market</a></li>
<li><a href="/c">Cricket: a famous win at Lord's</a></li></ol></aside>"""
_FOOTER = """<footer><p>© 2025 The Minerals Ledger. All rights reserved.</p><p><a href="/privacy">
Privacy</a> · <a href="/terms">Terms</a> · <a href="/contact">Contact us</a></p></footer>
<script>document.querySelectorAll('a').forEach(function(a){a.dataset.t=1})</script>"""


def _head(title: str, published: dt.date | None, url: str, date_meta: str) -> str:
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": title}
    meta = ""
    if published is not None:
        stamp = f"{published.isoformat()}T07:30:00+00:00"
        if date_meta == "meta":
            meta = f'<meta property="article:published_time" content="{stamp}">'
        else:
            ld["datePublished"] = stamp
    return (
        f'<head><meta charset="utf-8"><title>{escape(title)} | The Minerals Ledger</title>'
        f'<meta property="og:title" content="{escape(title)}">{meta}'
        f'<link rel="canonical" href="{url}">'
        f'<script type="application/ld+json">{json.dumps(ld)}</script>{_SCRIPT}'
        "<style>.ad{background:#eee}nav li{display:inline}</style></head>"
    )


def _body(template: int, title: str, paragraphs: list[str]) -> str:
    text = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    ad = '<div class="ad" id="ad-top">Advertisement · Open a trading account today</div>'
    if template == 0:  # an <article> with a byline
        return (
            f'<body><nav class="site-nav"><ul>{_NAV}</ul></nav>{ad}<main><article>'
            f'<h1>{escape(title)}</h1><p class="byline">By our markets staff</p>{text}'
            f"</article></main>{_ASIDE}{_FOOTER}</body>"
        )
    if template == 1:  # divs only, the story between share buttons
        return (
            f'<body><div id="header"><div class="menu"><ul>{_NAV}</ul></div></div>'
            f'<div class="content"><h1 class="headline">{escape(title)}</h1>'
            '<div class="share">Share on X · Share on LinkedIn · Email</div>'
            f'<div class="story-body">{text}</div>{ad}'
            f'<div class="share">Share on X · Share on LinkedIn</div></div>{_ASIDE}{_FOOTER}</body>'
        )
    if template == 2:  # an ad in the middle of the story, a newsletter box after it
        half = len(paragraphs) // 2
        first = "".join(f"<p>{escape(p)}</p>" for p in paragraphs[:half])
        second = "".join(f"<p>{escape(p)}</p>" for p in paragraphs[half:])
        return (
            f"<body><header><nav><ul>{_NAV}</ul></nav></header><article>"
            f"<header><h1>{escape(title)}</h1></header>{first}{ad}{second}</article>"
            '<section class="newsletter"><h2>Get the morning briefing</h2><form>'
            '<input type="email" placeholder="Email"><button>Sign up</button></form></section>'
            f"{_FOOTER}</body>"
        )
    # template 3: a related-stories list and comments after the story
    return (
        f'<body><nav role="navigation"><ul>{_NAV}</ul></nav>'
        f'<div class="article-wrapper"><h1>{escape(title)}</h1>'
        f'<section class="article-text">{text}</section></div>'
        '<section class="related"><h2>Related</h2><ul><li><a href="/r1">Lithium prices slide'
        '</a></li><li><a href="/r2">What the tariffs mean</a></li></ul></section>'
        '<section id="comments"><h2>Comments</h2><div class="comment">Great read!</div>'
        f"</section>{_FOOTER}</body>"
    )


TEMPLATES = 4


def news_page(
    title: str,
    text: str,
    *,
    published: dt.date | None,
    url: str = "https://ledger.example/mining/story",
    template: int = 0,
    date_meta: str = "meta",
) -> str:
    """A saved page holding ``text`` (paragraphs split on blank lines, else lines) under
    ``title``; its date in ``<meta property="article:published_time">`` (``date_meta="meta"``)
    or only in the JSON-LD ``datePublished``."""
    blocks = [b.strip() for b in text.split("\n\n")] if "\n\n" in text else text.splitlines()
    paragraphs = [" ".join(b.split()) for b in blocks if b.strip()]
    return (
        '<!DOCTYPE html><html lang="en">'
        + _head(title, published, url, date_meta)
        + _body(template % TEMPLATES, title, paragraphs)
        + "</html>"
    )

"""The site's Content-Security-Policy, one for every page (theme/partials/csp.html puts it first in <head>).

Scripts run only from the site's own files, plus the theme's few inline scripts, allowed by the hash of their
text. Those texts are fixed and live here, so the hashes come from the theme, never from a page's content: a
script a page's content somehow carried would not match. Whatever varies by page (the site root, a redirect's
target) is read by the script from an attribute of its own element or from the page, not written into its text.

Nothing else inline: no event handlers (``onclick=``), no ``javascript:`` URLs, no ``style=`` attributes or
``<style>`` elements; no frames, plugins, ``<base>``, forms posting anywhere; nothing from another site.
``img-src`` also allows ``data:``: Material's stylesheet draws its icons (navigation arrows, the "copied" tick) as
``data:image/svg+xml`` masks, which cannot run script; a notice cannot use one (safe_markdown refuses any image
that is not a file of the site).

A <meta http-equiv> works on any static host (GitHub Pages sets no headers); ``frame-ancestors``, ``sandbox`` and
reporting are ignored in a meta policy, so they are not written.
"""

from __future__ import annotations

import base64
import hashlib

# Material's storage helpers (mkdocs-material 9.x, partials/javascripts/base.html): the same code, except that the
# site root comes from the element's data-md-scope attribute instead of being written into the text, which made
# the text (and its hash) differ with the page's depth. Overridden in theme/partials/javascripts/base.html.
MD_STORAGE = (
    "__md_scope=new URL(document.currentScript.dataset.mdScope,location),"
    "__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),"
    "__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+\".\"+e)),"
    "__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+\".\"+e,JSON.stringify(_))}catch(e){}}"
)
# A former address's page (theme/redirect.html): go to the new address, keeping the #anchor of a link to an item;
# the address is the page's <link rel="canonical">. (Its <meta http-equiv="refresh"> works without JavaScript.)
REDIRECT = (
    "var a=location.hash.slice(1),c=document.querySelector('link[rel=canonical]');"
    "c&&location.replace(c.href+(a?'#'+a:''))"
)
INLINE_SCRIPTS = {"md_storage": MD_STORAGE, "redirect": REDIRECT}


def script_hash(text: str) -> str:
    """A CSP hash source for an inline script's exact text."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def policy(preview: bool = False) -> str:
    """The policy; a preview (a build that is not strict, never published) also runs inline scripts, for the
    script MkDocs' live reload writes into every page it serves (its text changes with every build: no hash)."""
    hashes = " ".join(script_hash(text) for text in INLINE_SCRIPTS.values())
    directives = {
        "default-src": "'none'",
        "script-src": "'self' 'unsafe-inline'" if preview else f"'self' {hashes}",
        "style-src": "'self'",
        "img-src": "'self' data:",
        "font-src": "'self'",
        "connect-src": "'self'",
        "manifest-src": "'self'",
        "worker-src": "'self'",
        "base-uri": "'none'",
        "object-src": "'none'",
        "frame-src": "'none'",
        "child-src": "'none'",
        "form-action": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def theme_globals(preview: bool = False) -> dict:
    """What the theme's templates use: the policy and the inline scripts' texts (Jinja globals)."""
    return {"content_security_policy": policy(preview), "inline_scripts": INLINE_SCRIPTS, "preview": preview}

"""The static public site: render every page, feed and JSON snapshot into a new directory,
index it with Pagefind, then swap it in atomically (helper: site)."""

"""The built app's size: the issue's limit of 150 kB gzipped for what a first load fetches."""

from tools.dapp_browser import gzipped_bundle_size

BUNDLE_LIMIT = 150_000  # bytes, gzipped


def test_the_bundle_is_under_150_kb_gzipped(site):
    size = gzipped_bundle_size(site)

    assert (site / "index.html").exists() and size > 0
    assert size < BUNDLE_LIMIT, f"the app's files are {size:,} bytes gzipped, over {BUNDLE_LIMIT:,}"

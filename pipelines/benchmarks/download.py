"""`benchmarks download`: fetch DfE's published files from the addresses in data/settings.toml.

Plain urllib with a timeout. Addresses must be HTTPS (plain HTTP is allowed only on this computer's
loopback address, for tests), and so must any address the publisher redirects to: Explore Education
Statistics answers a data catalogue address (.../data-catalogue/data-set/<id>/csv) with a redirect to
its content service. When the publisher cannot be reached, the message says how to get the files by
hand and import them. The default addresses and how to find next year's are in docs/BENCHMARKS.md.
"""

import re
import urllib.error
import urllib.request
from email.message import Message
from pathlib import Path
from urllib.parse import unquote, urlsplit

from pipelines.errors import LoadRefused

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
# Where a person finds each file when the download fails: the publication pages, whose addresses
# stay the same from one release to the next (a data set's own address changes with each release).
HAND_SOURCES = {
    "indicators": "https://explore-education-statistics.service.gov.uk/find-statistics/children-s-social-work-workforce",
    "neighbours": "https://www.gov.uk/government/publications/local-authority-interactive-tool-lait",
    "cla_sw_count": "https://explore-education-statistics.service.gov.uk/find-statistics/"
                    "stability-measures-for-children-looked-after-in-england",
}
DEFAULT_NAMES = {"indicators": "csww_indicators.csv", "neighbours": "statistical_neighbours.csv",
                 "cla_sw_count": "la_cla_swcount.csv"}
CHUNK = 1 << 16
USER_AGENT = "workforce-stability (benchmarks download)"


class DownloadFailed(LoadRefused):
    """The publisher could not be reached or refused the request; nothing was written."""


def _secure(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOOPBACK)


def _check_address(url: str) -> None:
    if not _secure(url):
        raise DownloadFailed([f"{url}: the address in data/settings.toml [benchmarks] must start with https://."])


class _InsecureRedirect(Exception):
    pass


class _SecureRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a publisher's redirects (EES sends its data catalogue addresses on to its content service),
    but never to an address that is not https: refused before any connection is made to it."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if not _secure(newurl):
            raise _InsecureRedirect(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_SecureRedirects)


def _file_name(response, url: str, kind: str) -> str:
    """The publisher's own file name (Content-Disposition), else the last part of the address the file
    came from (after any redirect) or was asked for, else a default."""
    message = Message()
    message["content-disposition"] = response.headers.get("Content-Disposition", "")
    name = message.get_filename() or ""
    for address in (response.geturl(), url):
        last = unquote(urlsplit(address).path.rsplit("/", 1)[-1])
        if not name and last.lower().endswith((".csv", ".zip")):
            name = last
    name = re.sub(r"[^A-Za-z0-9._-]", "_", Path(name).name)
    return name or DEFAULT_NAMES[kind]


def _offline(url: str, kind: str, reason: str) -> DownloadFailed:
    return DownloadFailed([
        f"Could not reach {url} ({reason}); download the files by hand from {HAND_SOURCES[kind]} "
        f"(or {url}) and run: python -m pipelines benchmarks import FILE --db PATH"])


def _failure(url: str, kind: str, error: Exception) -> DownloadFailed:
    if isinstance(error, urllib.error.HTTPError):
        return DownloadFailed([
            f"{url} answered {error.code} {error.reason}: the address in data/settings.toml [benchmarks] may "
            f"have changed with a new release. Download the file by hand from {HAND_SOURCES[kind]} and run: "
            "python -m pipelines benchmarks import FILE --db PATH"])
    return _offline(url, kind, str(getattr(error, "reason", None) or error))


def fetch(url: str, kind: str, out_dir: Path, timeout: float) -> Path:
    """Download one file into out_dir (written whole, then renamed) and return its path."""
    _check_address(url)
    out_dir.mkdir(parents=True, exist_ok=True)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    partial = None
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            target = out_dir / _file_name(response, url, kind)
            partial = target.with_name(target.name + ".part")
            with partial.open("wb") as handle:
                while chunk := response.read(CHUNK):
                    handle.write(chunk)
        partial.replace(target)
        return target
    except _InsecureRedirect:
        raise DownloadFailed([f"{url} sent the download on to an address that is not https://, so nothing was "
                              f"downloaded. Download the file by hand from {HAND_SOURCES[kind]} and run: "
                              "python -m pipelines benchmarks import FILE --db PATH"]) from None
    except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
        raise _failure(url, kind, error) from None
    finally:
        if partial is not None:
            partial.unlink(missing_ok=True)


def download(urls: dict[str, str], out_dir: Path, timeout: float) -> list[Path]:
    """Fetch every configured file; a failure stops before anything is imported."""
    if not urls:
        raise DownloadFailed(["No download addresses are set: add indicators_url and neighbours_url under "
                              "[benchmarks] in data/settings.toml (docs/BENCHMARKS.md)."])
    return [fetch(url, kind, Path(out_dir), timeout) for kind, url in urls.items()]

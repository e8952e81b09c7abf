"""`benchmarks download`: fetch DfE's published files from the addresses in data/settings.toml.

Plain urllib with a timeout. Addresses must be HTTPS (plain HTTP is allowed only on this computer's
loopback address, for tests). When the publisher cannot be reached, the message says how to get
the files by hand and import them.
"""

import re
import urllib.error
import urllib.request
from email.message import Message
from pathlib import Path
from urllib.parse import unquote, urlsplit

from pipelines.errors import LoadRefused

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
HAND_SOURCES = {
    "indicators": "https://explore-education-statistics.service.gov.uk/find-statistics/children-s-social-work-workforce",
    "neighbours": "DfE's children's services statistical neighbour benchmarking tool",
    "cla_sw_count": "https://explore-education-statistics.service.gov.uk/find-statistics/children-looked-after-in-england-including-adoptions",
}
DEFAULT_NAMES = {"indicators": "csww_indicators.csv", "neighbours": "statistical_neighbours.csv",
                 "cla_sw_count": "la_cla_swcount.csv"}
CHUNK = 1 << 16
USER_AGENT = "workforce-stability (benchmarks download)"


class DownloadFailed(LoadRefused):
    """The publisher could not be reached or refused the request; nothing was written."""


def _check_address(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOOPBACK):
        return
    raise DownloadFailed([f"{url}: the address in data/settings.toml [benchmarks] must start with https://."])


def _file_name(response, url: str, kind: str) -> str:
    """The publisher's own file name (Content-Disposition), else the address's last part, else a default."""
    message = Message()
    message["content-disposition"] = response.headers.get("Content-Disposition", "")
    name = message.get_filename() or ""
    if not name:
        last = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
        name = last if last.lower().endswith((".csv", ".zip")) else ""
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
        with urllib.request.urlopen(request, timeout=timeout) as response:
            target = out_dir / _file_name(response, url, kind)
            partial = target.with_name(target.name + ".part")
            with partial.open("wb") as handle:
                while chunk := response.read(CHUNK):
                    handle.write(chunk)
        partial.replace(target)
        return target
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

"""Read one CSWW return (XML) leniently, as real returns differ from the schema.

- The year comes from Header/CollectionDetails/ReferenceDate, else Year; the authority from
  Header/Source/LEA. Element names are matched without namespace prefixes and without regard to case;
  unknown elements are ignored, text is stripped, element order is free.
- Personal items (birth date, gender, ethnicity, qualification institution) are skipped as the file is
  read: they never reach a frame, the database or a message.
- Safety: a document type declaration (DOCTYPE, the only place entities can be declared) is refused
  before anything in it is expanded, so an "entity expansion" file cannot exhaust memory; external
  entities are never fetched.
"""

import hashlib
import xml.parsers.expat
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pipelines.census import PERSONAL_ELEMENTS, REFERENCE_MONTH_DAY, REPEATABLE, WORKER_FIELDS
from pipelines.errors import LoadRefused
from pipelines.parsing import parse_date

MAX_BYTES = 200 * 1024 * 1024  # a return for the largest authority is a few megabytes
LINE = "line_number"
POSITION = "worker_position"
_FIELD_NAMES = {name.lower(): name for name in WORKER_FIELDS}
_PERSONAL = {name.lower() for name in PERSONAL_ELEMENTS}


class _Refused(Exception):
    """Raised inside the parser's callbacks to stop at a declaration we do not accept."""


@dataclass
class CensusFile:
    """What one return says, as stripped text; workers as read (personal items already left out)."""

    file_name: str
    sha256: str
    year: int
    reference_date: date
    la_number: str
    vacancies: dict[str, str]  # NumberOfVacancies, NoAgencyFTE, NoAgencyHeadcount (text, may be '')
    workers: list[dict[str, str]] = field(default_factory=list)  # each with POSITION and LINE
    repeats: list[tuple[int, int, str, int]] = field(default_factory=list)  # (position, line, element, times)


def _local(name: str) -> str:
    """'ns:Tag' or '{uri}Tag' -> 'tag' (lower case): returns name their namespaces differently."""
    return name.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower()


class _Collector:
    """Builds just what a return needs while expat reads: the header values, the vacancy block and one
    dict per worker. Paths are the lower-case local names from the root down."""

    def __init__(self, parser):
        self.parser = parser
        self.path: list[str] = []
        self.text: list[str] = []
        self.header: dict[str, str] = {}
        self.vacancies: dict[str, str] = {}
        self.workers: list[dict[str, str]] = []
        self.repeats: list[tuple[int, int, str, int]] = []
        self.worker: dict[str, list[str]] | None = None

    def start(self, name, _attributes):
        self.path.append(_local(name))
        self.text = []
        if self.path[-1] == "cswwworker" and self.worker is None:
            self.worker = {POSITION: [str(len(self.workers) + 1)], LINE: [str(self.parser.CurrentLineNumber)]}

    def characters(self, data):
        self.text.append(data)

    def end(self, _name):
        name = self.path[-1]
        value = "".join(self.text).strip()
        self.text = []
        inside = self.path[:-1]
        if name == "cswwworker" and self.worker is not None:
            self._finish_worker()
        elif self.worker is not None and inside and inside[-1] == "cswwworker":
            if name in _FIELD_NAMES and name not in _PERSONAL:
                self.worker.setdefault(_FIELD_NAMES[name], []).append(value)
        elif "lalevelvacancies" in inside:
            self.vacancies.setdefault(name, value)
        elif "header" in inside and name in ("referencedate", "year", "lea"):
            self.header.setdefault(name, value)  # a repeated Source: the first LEA given
        self.path.pop()

    def _finish_worker(self):
        worker = self.worker
        position, line = int(worker[POSITION][0]), int(worker[LINE][0])
        flat = {POSITION: str(position), LINE: str(line)}
        for name in WORKER_FIELDS:
            values = [v for v in worker.get(name, []) if v != ""]
            if len(values) > 1 and name not in REPEATABLE:
                self.repeats.append((position, line, name, len(values)))
            flat[name] = _combine(name, values)
        self.workers.append(flat)
        self.worker = None


def _combine(name: str, values: list[str]) -> str:
    """One text per field. Repeats the schema allows: contract weeks add up; absent on 30 September if
    any says so; absence reasons and CFKSS statuses are kept as a list joined by ';'. Otherwise the first."""
    if not values:
        return ""
    if name == "ContractWeeks" and len(values) > 1:
        try:
            return f"{sum(float(v) for v in values):.1f}"
        except ValueError:
            return next(v for v in values if not _is_number(v))
    if name == "Absat30Sept" and len(values) > 1:
        return "1" if "1" in values else values[0]
    if name in ("ReasonAbsence", "CFKSSstatus"):
        return ";".join(dict.fromkeys(values))
    return values[0]


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _refuse_doctype(*_args):
    raise _Refused


def _parse(data: bytes, name: str) -> _Collector:
    parser = xml.parsers.expat.ParserCreate()
    collector = _Collector(parser)
    parser.StartElementHandler = collector.start
    parser.EndElementHandler = collector.end
    parser.CharacterDataHandler = collector.characters
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        parser.Parse(data, True)
    except _Refused:
        raise LoadRefused([f"{name}: the file declares a document type (DOCTYPE) or entities, which a census "
                           "return never needs; it was not read, for safety. Export the return again from "
                           "COLLECT or the HR system's census module."]) from None
    except xml.parsers.expat.ExpatError as error:
        raise LoadRefused([f"{name}: is not well-formed XML (line {error.lineno}, column {error.offset + 1}: "
                           f"{xml.parsers.expat.ErrorString(error.code)}). Export the return again; a census "
                           "return is an XML file."]) from None
    return collector


def _year_of(header: dict[str, str], name: str) -> tuple[int, date]:
    reference = parse_date(header.get("referencedate", ""))
    if reference is not None:
        return reference.year, reference
    year = header.get("year", "")
    if len(year) == 4 and year.isdigit():
        return int(year), date(int(year), *REFERENCE_MONTH_DAY)
    raise LoadRefused([f"{name}: no collection year found. A return names it in Header/CollectionDetails/"
                       "ReferenceDate (e.g. 2022-09-30) or Year (e.g. 2022)."])


def read_return(path: Path) -> CensusFile:
    """One return, or LoadRefused naming the file and what is wrong in plain words."""
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise LoadRefused([f"{path}: {'is a folder, not a file' if path.exists() else 'no such file'}. "
                           "Give the census return's XML file."])
    if path.stat().st_size > MAX_BYTES:
        raise LoadRefused([f"{name}: is larger than {MAX_BYTES // (1024 * 1024)} MB, far more than a census "
                           "return; check it is the right file."])
    data = path.read_bytes()
    collector = _parse(data, name)
    year, reference = _year_of(collector.header, name)
    la = collector.header.get("lea", "")
    if not (len(la) == 3 and la.isdigit()):
        raise LoadRefused([f"{name}: no authority found. A return names it in Header/Source/LEA, the "
                           "three-digit LA number (e.g. 301)."])
    if not collector.workers:
        raise LoadRefused([f"{name}: has no CSWWWorker records, so it is not a worker-level census return "
                           "(worker-level returns began in 2017)."])
    vacancies = {"NumberOfVacancies": collector.vacancies.get("numberofvacancies", ""),
                 "NoAgencyFTE": collector.vacancies.get("noagencyfte", ""),
                 "NoAgencyHeadcount": collector.vacancies.get("noagencyheadcount", "")}
    return CensusFile(name, hashlib.sha256(data).hexdigest(), year, reference, la, vacancies,
                      collector.workers, collector.repeats)

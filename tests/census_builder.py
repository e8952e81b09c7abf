"""Hand-built CSWW census returns for tests: a worker is a dict of element name -> text."""

from pathlib import Path
from xml.sax.saxutils import escape

SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "data" / "csww" / "social_work_workforce_2022_sample.xml"


def worker(swe: str, agency: str = "0", **elements) -> dict:
    return {"AgencyWorker": agency, "SWENo": swe, **elements}


def return_xml(year: int, workers: list[dict], *, la: str = "301", vacancies: str = "0.00",
               agency_cover: str = "0.00", agency_headcount: str = "0", reference: str | None = None) -> str:
    body = []
    for item in workers:
        cells = "".join(f"<{name}>{escape(value)}</{name}>" for name, values in item.items()
                        for value in (values if isinstance(values, list) else [values]))
        body.append(f"  <CSWWWorker>{cells}</CSWWWorker>")
    return (f"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Message>\n<Header><CollectionDetails><Collection>CSWW"
            f"</Collection><Year>{year}</Year><ReferenceDate>{reference or f'{year}-09-30'}</ReferenceDate>"
            f"</CollectionDetails><Source><SourceLevel>L</SourceLevel><LEA>{la}</LEA></Source></Header>\n"
            f"<LALevelVacancies><NumberOfVacancies>{vacancies}</NumberOfVacancies><NoAgencyFTE>{agency_cover}"
            f"</NoAgencyFTE><NoAgencyHeadcount>{agency_headcount}</NoAgencyHeadcount></LALevelVacancies>\n"
            + "\n".join(body) + "\n</Message>\n")


def write_return(folder: Path, year: int, workers: list[dict], name: str | None = None, **options) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (name or f"csww_{year}.xml")
    path.write_text(return_xml(year, workers, **options), encoding="utf-8")
    return path

"""Configuration as data: the portal registry and the pipeline settings, validated when loaded.

An invalid file raises ConfigError naming the file and the line of the offending value, so that an office
editing config/portals.yaml by hand learns where it went wrong.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from nianbao.models import ExpectedAgency, Portal

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_PORTALS = PROJECT_DIR / "config" / "portals.yaml"
DEFAULT_SETTINGS = PROJECT_DIR / "config" / "pipeline.yaml"
DEFAULT_EXPECTED_AGENCIES = PROJECT_DIR / "config" / "expected_agencies.csv"


class ConfigError(ValueError):
    pass


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PortalEntry(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    province: str
    city: str
    county: str
    column_url: str = Field(pattern=r"^https?://")
    cms: Literal["auto", "trs", "hanweb", "gkmlpt", "jsonapi", "generic"] = "auto"
    recipients: list[str] = []
    # domains besides the column's own registrable domain (e.g. a provincial platform that hosts the
    # county's files) that the crawl may be redirected to
    allowed_hosts: list[str] = []


class Registry(_Strict):
    portals: list[PortalEntry]

    @field_validator("portals")
    @classmethod
    def _unique_ids(cls, portals: list[PortalEntry]) -> list[PortalEntry]:
        seen: set[str] = set()
        for p in portals:
            if p.id in seen:
                raise ValueError(f"portal id {p.id!r} is listed twice")
            seen.add(p.id)
        return portals


class CrawlerSettings(_Strict):
    user_agent: str = "nianbao/0.1 (annual-report monitor of a provincial disclosure office)"
    requests_per_second_per_host: float = Field(1.0, gt=0)
    concurrency_per_host: int = Field(1, ge=1)
    timeout_seconds: float = Field(30, gt=0)  # each connect, read or write
    # each request as a whole, headers and body: a document that trickles in is cut here
    request_time_limit_seconds: float = Field(300, gt=0)
    # a portal's whole crawl; one past it is a health problem (crawl_time_limit) and the run goes on
    portal_time_limit_seconds: float = Field(7200, gt=0)
    max_redirects: int = Field(5, ge=0)
    # attachments tried on one detail page before giving up on it (a page may link thousands)
    max_attachments_per_page: int = Field(5, ge=1)
    retries: int = Field(3, ge=0)
    backoff_seconds: float = Field(1.0, ge=0)
    max_document_bytes: int = Field(100 * 1024 * 1024, gt=0)
    # A detail page or document the portal answered for less than this many days ago is not requested again:
    # its stored copy is used. 0 re-validates every known URL on every run (If-None-Match/If-Modified-Since),
    # which at 1 request/s costs a second per known page and document each night; 7 spends a seventh of that
    # and notices a report replaced under its old URL within a week. List pages are always requested.
    recheck_after_days: float = Field(0, ge=0)
    # A column page may list sub-columns (乡镇/部门, one per year, per agency, 更多>>) instead of reports: they
    # are followed this many levels below the registered column, within the same site.
    column_depth: int = Field(3, ge=0)
    # List pages (column pages, sub-columns, pager pages, list API calls) read per portal and run at most.
    max_list_pages: int = Field(300, ge=1)
    # A column listing fewer than this share of the items it listed on the last run is a health problem.
    sharp_drop_ratio: float = Field(0.5, gt=0, lt=1)


class ExtractionSettings(_Strict):
    time_limit_seconds: float = Field(120, gt=0)
    # scanned reports (no text layer, or tables only in pictures) are OCR'd, each within ocr_time_limit
    # seconds (~10-30 s a page on one core; docs/stack-notes.md); false leaves them needs_ocr
    ocr: bool = True
    ocr_time_limit: float = Field(900, gt=0)


MonthDay = Annotated[str, Field(pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")]


class DeadlineSettings(_Strict):
    """What the law leaves to local rules (the law's own dates are in nianbao/deadlines.py)."""

    # 乡镇/街道 reports: MM-DD of the year after the report year, by default and where a province, city or
    # county notice sets another date (key: the place's name as in config/portals.yaml)
    township: MonthDay = "01-31"
    township_by_place: dict[str, MonthDay] = {}
    # agency name -> level, where its name misleads (a 管委会 that reports as a government …)
    agency_levels: dict[str, Literal["government", "department", "township"]] = {}


class AgencySettings(_Strict):
    # old name -> new name (a county renamed, bureaus merged): reports under either name are one agency
    renames: dict[str, str] = {}


class RuleSettings(_Strict):
    # rule_code -> error | warning; rules not named here keep the severity their suite declares
    severities: dict[str, Literal["error", "warning"]] = {}
    deadlines: DeadlineSettings = DeadlineSettings()
    agencies: AgencySettings = AgencySettings()
    # a finding resting on a cell OCR read with a lower confidence is a warning "needs a human look" (with the
    # cell and its place on the page picture), never an error against the agency
    ocr_confident_at: float = Field(0.9, ge=0, le=1)


class SmtpSettings(_Strict):
    host: str = "127.0.0.1"
    port: int = 25
    sender: str = "nianbao@localhost"
    # the connection and each SMTP command: a relay that accepts and then says nothing fails the alert here
    timeout_seconds: float = Field(30, gt=0)
    # the name of a prefect-email EmailServerCredentials block; when set, it wins over host/port
    credentials_block: str | None = None
    # rounds of sending within a run, `retry_seconds` apart (doubling); what is still unsent waits in the
    # warehouse's outbox for the next run
    attempts: int = Field(3, ge=1)
    retry_seconds: float = Field(10, ge=0)


class AlertSettings(_Strict):
    provincial_recipients: list[str] = []
    send_when_nothing_new: bool = False
    smtp: SmtpSettings = SmtpSettings()
    # Where the run reports (<warehouse folder>/reports/) are served, e.g. https://intranet.example/nianbao/reports/.
    # Without it each email carries its report page as an attachment: a link must open for a remote reader.
    report_base_url: str | None = Field(None, pattern=r"^https?://")
    recall_after_days: float = Field(7, gt=0)  # an open error is told again this many days after it was last told
    warnings_every_days: float = Field(7, gt=0)  # the warnings digest: at most once in this many days
    # An email lists at most this many items in each section (the rest are counted: 另有 K 项未列出) and is at
    # most this many bytes as sent: past that it lists fewer, and leaves the run report unattached, until it fits.
    max_items_per_section: int = Field(200, ge=1)
    max_email_bytes: int = Field(1_000_000, ge=50_000)


# The oldest on-disk format DuckDB 2.0 still writes (storage version 64, shared by v1.0.0 and v1.1.0), and it
# keeps every feature the warehouse uses: comments, JSON, DECIMAL, primary keys, views. Named v1.1.0 because
# DuckDB 1.0 cannot read the primary keys 2.0 writes in it ("Failed to deserialize … field id: 103"); 1.1.3,
# 1.2.2, 1.4.4 and 1.5.x read it (tests/warehouse/test_duckdb_clients.py opens it with DuckDB 1.5.x).
OLDEST_READABLE_STORAGE = "v1.1.0"


class WarehouseSettings(_Strict):
    path: Path | None = None  # default: <data_dir>/warehouse/nianbao.duckdb
    # the DuckDB release whose readers must open the published file (STORAGE_VERSION of ATTACH); a
    # published file in another format is converted on the next run
    storage_version: str = Field(OLDEST_READABLE_STORAGE, pattern=r"^(v\d+\.\d+\.\d+|latest)$")
    # how long a run waits for another run that is building the warehouse; 0: it fails at once, saying so
    writer_lock_wait_seconds: float = Field(0, ge=0)

    @model_validator(mode="before")
    @classmethod
    def _path_alone(cls, value: Any) -> Any:
        """`warehouse: some/file.duckdb` (the form before storage_version existed) names the path."""
        return {"path": value} if isinstance(value, str) else value


class SqlSettings(_Strict):
    """Limits of `nianbao sql` (and its exports): the analysts' SQL runs in a sandbox (warehouse.read.sandbox)."""

    time_limit_seconds: float = Field(120, gt=0)  # each statement
    memory_limit: str = Field("2GB", pattern=r"^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$")
    threads: int = Field(2, ge=1)
    max_rows_shown: int = Field(10_000, ge=1)  # rows printed; an export writes them all


class OfficeSettings(_Strict):
    # the registry of agencies that must publish (CSV the office maintains; relative to the project)
    expected_agencies: Path = Path("config/expected_agencies.csv")
    # days an agency is given to publish a corrected report, counted from the correction notice
    correction_days: int = Field(30, ge=1)
    # who signs the correction notices (整改通知)
    issuer: str = "政府信息公开工作主管部门"


class Settings(_Strict):
    data_dir: Path = Path("data")
    warehouse: WarehouseSettings = WarehouseSettings()
    crawler: CrawlerSettings = CrawlerSettings()
    extraction: ExtractionSettings = ExtractionSettings()
    rules: RuleSettings = RuleSettings()
    alerts: AlertSettings = AlertSettings()
    sql: SqlSettings = SqlSettings()
    office: OfficeSettings = OfficeSettings()

    @property
    def warehouse_path(self) -> Path:
        return self.warehouse.path or self.data_dir / "warehouse" / "nianbao.duckdb"

    @property
    def raw_dir(self) -> Path:
        return self.data_dir / "raw"

    @property
    def extracted_dir(self) -> Path:
        return self.data_dir / "extracted"

    @property
    def data_docs_dir(self) -> Path:
        return self.data_dir / "data_docs"

    @property
    def runs_dir(self) -> Path:
        return self.data_dir / "runs"  # the run journal (nianbao/runs.py)

    @property
    def undelivered_dir(self) -> Path:
        return self.data_dir / "undelivered"  # alert emails the SMTP server did not take, as .eml files

    @property
    def outbox_dir(self) -> Path:
        return self.data_dir / "outbox"

    @property
    def prefect_home(self) -> Path:
        return self.data_dir / "prefect"  # PREFECT_HOME of the commands that run flows, unless the user set one

    @property
    def outbox_journal_dir(self) -> Path:
        return self.data_dir / "outbox_journal"  # what the alert stage queued and sent (alerts/outbox.py)

    @property
    def reports_dir(self) -> Path:
        """The run reports, next to the warehouse."""
        return self.warehouse_path.parent / "reports"

    @property
    def decisions_journal(self) -> Path:
        """The office's decisions on findings, appended to by `nianbao findings confirm|waive`."""
        return self.data_dir / "decisions" / "finding_decisions.jsonl"

    @property
    def announcements_journal(self) -> Path:
        """The correction notices and report replacements the emails have told (alert_announcements)."""
        return self.data_dir / "decisions" / "announcements.jsonl"

    @property
    def scorecard_dir(self) -> Path:
        return self.data_dir / "scorecard"

    @property
    def notices_dir(self) -> Path:
        return self.data_dir / "notices"


# --------------------------------------------------------------------------- loading with line numbers


def _line_of(node: yaml.Node, loc: tuple[Any, ...]) -> int:
    """The 1-based line of the YAML node at a pydantic error location (the nearest one that exists)."""
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == key), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            match = node.value[key]
        else:
            match = None
        if match is None:
            break
        node = match
    return node.start_mark.line + 1


def _load(path: Path, model: type[BaseModel]) -> BaseModel:
    try:
        text = path.read_text("utf-8")
    except OSError as e:
        raise ConfigError(f"{path}: cannot read: {e.strerror}") from e
    try:
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise ConfigError(f"{path}: not valid YAML: {e}") from e
    try:
        return model.model_validate(data or {})
    except ValidationError as e:
        first = e.errors()[0]
        line = _line_of(node, first["loc"]) if node is not None else 1
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise ConfigError(f"{path}:{line}: {where}: {first['msg']}") from e


def load_portals(path: Path = DEFAULT_PORTALS) -> list[Portal]:
    registry = _load(path, Registry)
    return [
        Portal(p.id, p.province, p.city, p.county, p.column_url, p.cms, tuple(p.recipients), tuple(p.allowed_hosts))
        for p in registry.portals
    ]


def load_settings(path: Path = DEFAULT_SETTINGS) -> Settings:
    """Settings from the file; NIANBAO_DATA_DIR and NIANBAO_WAREHOUSE override it. Relative paths are
    relative to the file's folder's parent (the project), not to the current directory."""
    settings = _load(path, Settings) if path.exists() else Settings()
    base = path.resolve().parent.parent
    data_dir = Path(os.environ.get("NIANBAO_DATA_DIR", settings.data_dir))
    warehouse = os.environ.get("NIANBAO_WAREHOUSE") or settings.warehouse.path
    path = None if warehouse is None else (base / Path(warehouse) if not Path(warehouse).is_absolute() else Path(warehouse))
    registry = settings.office.expected_agencies
    office = settings.office.model_copy(update={"expected_agencies": registry if registry.is_absolute() else base / registry})
    return settings.model_copy(
        update={
            "office": office,
            "data_dir": data_dir if data_dir.is_absolute() else base / data_dir,
            "warehouse": settings.warehouse.model_copy(update={"path": path}),
        }
    )


# --------------------------------------------------------------------------- the expected-agencies registry

EXPECTED_AGENCY_COLUMNS = ("province", "city", "county", "agency", "first_year", "last_year", "note")


def _decoded(path: Path) -> str:
    """The office edits the registry in Excel, which saves CSV as UTF-8 with a BOM or, on a Chinese
    Windows, as GB18030: both are read."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError as e:
            raise ConfigError(f"{path}: neither UTF-8 nor GB18030 text (byte {e.start})") from e


def _year(path: Path, line: int, column: str, text: str, required: bool) -> int | None:
    text = text.strip()
    if not text and not required:
        return None
    if not text.isdigit() or not 1990 <= int(text) <= 2100:
        raise ConfigError(f"{path}:{line}: {column}: a report year such as 2024 is needed, not {text!r}")
    return int(text)


def load_expected_agencies(path: Path = DEFAULT_EXPECTED_AGENCIES) -> list[ExpectedAgency]:
    """The office's registry of agencies that must publish; no file is an empty registry. Columns: province,
    city, county, agency, first_year, last_year (empty while the agency exists), note."""
    if not path.exists():
        return []
    reader = csv.DictReader(io.StringIO(_decoded(path)))
    missing = [c for c in EXPECTED_AGENCY_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ConfigError(f"{path}:1: the header lacks {', '.join(missing)} (columns: {','.join(EXPECTED_AGENCY_COLUMNS)})")
    entries: dict[tuple[str, str, str, str], ExpectedAgency] = {}
    for row in reader:
        line = reader.line_num
        values = {c: (row.get(c) or "").strip() for c in EXPECTED_AGENCY_COLUMNS}
        for column in ("province", "city", "county", "agency"):
            if not values[column]:
                raise ConfigError(f"{path}:{line}: {column} is empty")
        first = _year(path, line, "first_year", values["first_year"], required=True)
        last = _year(path, line, "last_year", values["last_year"], required=False)
        if last is not None and last < first:
            raise ConfigError(f"{path}:{line}: last_year {last} is before first_year {first}")
        key = (values["province"], values["city"], values["county"], values["agency"])
        if key in entries:
            raise ConfigError(f"{path}:{line}: {values['county']} {values['agency']} is listed twice")
        entries[key] = ExpectedAgency(*key, first, last, "office", values["note"] or None)
    return list(entries.values())

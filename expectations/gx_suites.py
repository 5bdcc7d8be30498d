"""Running the suites with Great Expectations: one suite, validation definition and Checkpoint per rule family,
over the family's reconciliation rows as a pandas batch, and Data Docs built into a folder of the caller's.

GX reports an error inside an expectation as success=False with `exception_info`, not as an exception
(notes/stack.md): every result is checked here, and any error becomes a SuiteError, so that a broken suite
fails the run loudly instead of passing as "0 findings".
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

# GX would otherwise try to send usage statistics: the machine has no internet, and the office wants none.
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

import great_expectations as gx  # noqa: E402
import pandas as pd  # noqa: E402
from great_expectations.core.run_identifier import RunIdentifier  # noqa: E402
from great_expectations.data_context.types.base import (  # noqa: E402
    DataContextConfig,
    InMemoryStoreBackendDefaults,
    ProgressBarsConfig,
)
from great_expectations.expectations import Expectation  # noqa: E402

DATA_DOCS_SITE = "nianbao"


class SuiteError(RuntimeError):
    """A suite could not be evaluated (its rows could not be computed, or GX raised inside an expectation)."""


@dataclass(frozen=True)
class SuiteSpec:
    """What GX needs to know of one rule family: its name and its expectations, in the order of `checks`."""

    name: str
    expectations: tuple[Expectation, ...]


def new_context(data_docs_dir: Path) -> gx.data_context.EphemeralDataContext:
    """An in-memory context whose only Data Docs site is data_docs_dir. Cheap (~10 ms): one per validate()."""
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
        data_docs_sites={
            DATA_DOCS_SITE: {
                "class_name": "SiteBuilder",
                "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(data_docs_dir)},
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            }
        },
    )
    return gx.get_context(project_config=config, mode="ephemeral")


# Columns GX lists for every rejected row (in results and in Data Docs): which report, where, and the row's
# position in the family's frame, by which the row is found again.
ROW = "row"
INDEX_COLUMNS = [ROW, "report_id", "location"]


class SuiteCheckpoint:
    """One family's suite, validation definition and Checkpoint, added to the context once and run on each
    frame of rows handed to it (validate() hands the rows of a few hundred reports at a time)."""

    def __init__(self, context: gx.data_context.AbstractDataContext, spec: SuiteSpec):
        self.name = spec.name
        try:
            asset = context.data_sources.add_pandas(spec.name).add_dataframe_asset(spec.name)
            batch = asset.add_batch_definition_whole_dataframe(spec.name)
            self.suite = context.suites.add(gx.ExpectationSuite(name=spec.name, expectations=list(spec.expectations)))
            definition = context.validation_definitions.add(gx.ValidationDefinition(name=spec.name, data=batch, suite=self.suite))
            result_format = {"result_format": "COMPLETE", "unexpected_index_column_names": INDEX_COLUMNS}
            self.checkpoint = context.checkpoints.add(
                gx.Checkpoint(name=spec.name, validation_definitions=[definition], result_format=result_format)
            )
        except Exception as e:  # GX raising on a bad configuration is a broken suite too
            raise SuiteError(f"suite {spec.name}: {type(e).__name__}: {e}") from e

    def run(self, rows: pd.DataFrame, run_id: str) -> list[list[int]]:
        """Validate `rows`; per expectation (in the order of the spec's expectations), the positions of the
        rows it rejected. Raises SuiteError when GX errors or a result is not what a working suite returns."""
        rows = rows.reset_index(drop=True)
        rows.insert(0, ROW, range(len(rows)))
        try:
            outcome = self.checkpoint.run(batch_parameters={"dataframe": rows}, run_id=RunIdentifier(run_name=run_id))
        except Exception as e:  # e.g. an unknown column
            raise SuiteError(f"suite {self.name}: {type(e).__name__}: {e}") from e
        (result,) = outcome.run_results.values()
        # GX returns the results in an order of its own: match them to the expectations by id
        by_id = {r.expectation_config.id: r for r in result.results}
        if sorted(by_id) != sorted(e.id for e in self.suite.expectations):
            raise SuiteError(f"suite {self.name}: {len(result.results)} results for {len(self.suite.expectations)} expectations")
        failing: list[list[int]] = []
        for expectation in self.suite.expectations:
            expectation_result = by_id[expectation.id]
            info = expectation_result.exception_info or {}
            if info.get("raised_exception"):
                raise SuiteError(f"suite {self.name}: {expectation.expectation_type}: {info.get('exception_message')}")
            unexpected = expectation_result.result.get("unexpected_index_list")
            if unexpected is None and not expectation_result.success:
                raise SuiteError(f"suite {self.name}: {expectation.expectation_type} failed without naming rows")
            failing.append(sorted(int(u[ROW]) for u in unexpected or ()))
        return failing


def build_data_docs(context: gx.data_context.AbstractDataContext, data_docs_dir: Path) -> Path:
    context.build_data_docs(site_names=[DATA_DOCS_SITE])
    return data_docs_dir / "index.html"

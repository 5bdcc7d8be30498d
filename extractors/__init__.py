"""Raw documents → ExtractedReport: text per page, canonical table cells, narrative figures, metadata.

    extract_document(path, media_type, sha256)                  in this process; never raises
    extract_with_time_limit(path, media_type, sha256, seconds)  in a reusable worker process; a document
                                                                that takes too long gets status "timeout"
"""

from extractors.document import EXTRACTOR_VERSION, extract_document
from extractors.worker import extract_with_time_limit

__all__ = ["EXTRACTOR_VERSION", "extract_document", "extract_with_time_limit"]

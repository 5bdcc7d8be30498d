"""Raw documents → ExtractedReport: text per page, canonical table cells, narrative figures, metadata.

    extract_document(path, media_type, sha256)                  in this process; never raises
    extract_with_time_limit(path, media_type, sha256, seconds)  in a reusable worker process; a document
                                                                that takes too long gets status "timeout"
"""

EXTRACTOR_VERSION = "0.2.2"  # 0.2: scans read by OCR; 0.2.1: 收到依申请信息公开N件 read; 0.2.2: 福建's regional 统计表 words; a total's share and the service hall's 受理申请 are not the table's figures. Recorded with every figure; a new version reads every document again

__all__ = ["EXTRACTOR_VERSION", "extract_document", "extract_with_time_limit"]


def __getattr__(name: str):
    # The readers import pdfminer, camelot and OpenCV (~0.3 s): loaded on first use, so that a nightly run
    # with nothing new to extract does not pay for them.
    if name == "extract_document":
        from extractors.document import extract_document

        return extract_document
    if name == "extract_with_time_limit":
        from extractors.worker import extract_with_time_limit

        return extract_with_time_limit
    raise AttributeError(f"module 'extractors' has no attribute {name!r}")

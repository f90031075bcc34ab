"""Turn one raw page (bytes) into an Extraction: decode, then segment text or run trafilatura on HTML."""

from .decode import RejectedInput, decode_page
from .model import Boilerplate, Comment, Extraction
from .page import extract_page

__all__ = ["Boilerplate", "Comment", "Extraction", "RejectedInput", "decode_page", "extract_page"]

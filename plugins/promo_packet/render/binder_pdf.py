"""A binder's PDF, written as it grows: each packet's PDF copied in page by page, then let go.

A PDF library that merges documents holds the merged document until it is written. Here each
document's pages, and every object they reach (content, fonts, images, links), are renumbered
and written straight to the output file; what is kept to the end is what only the end can
write: where each object starts (the cross-reference table), the page list, the outline and
the page labels. Memory holds one packet's PDF at a time, whatever the number of people.

Every page prints its number in the binder (:mod:`.folio`): the packet's own number taken off,
the binder's stamped on, so page N of the binder prints N, as its page labels say. The packets'
structure trees are not carried over (each numbers its marked content on its own), nor are their
named destinations: a link to one is rewritten to the page and place it names.
"""

from __future__ import annotations

import hashlib
import io
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO, Any

from pypdf import PdfReader
from pypdf.constants import UserAccessPermissions
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    PdfObject,
    StreamObject,
    TextStringObject,
)

from .folio import Folio

FOLIO_FONT = "PPFolio"
"""The name each page's resources give the font of the binder's page numbers."""
LEFT_BEHIND = frozenset({"/Pages", "/Catalog", "/StructTreeRoot", "/StructElem", "/Outlines"})
"""What a copied object may point to but never brings along: the source document's own structure."""
PAGE_KEYS_REDONE = frozenset({"/Parent", "/Contents", "/Resources", "/Annots", "/StructParents"})
ANNOTATION_KEYS_LEFT = frozenset({"/StructParent", "/Parent", "/P"})
"""Keys that tie a page or a link to its source document's structure, which is not carried over."""


@dataclass
class OutlineEntry:
    title: str
    page: int
    """The page's object number in the output."""
    top: float | None = None
    children: list[OutlineEntry] = field(default_factory=list)


class BinderPdf:
    """Documents appended one at a time to the PDF written to ``out``, ``pages`` pages in all,
    encrypted under ``password`` (AES-256) if one is given."""

    def __init__(self, out: IO[bytes], pages: int, folio: Folio, *, password: str | None = None) -> None:
        self.out, self.total, self.folio = out, pages, folio
        self.offsets: list[int] = [0]
        self.position = 0
        self.digest = hashlib.sha256()
        self.kids: list[int] = []
        self.outline: list[OutlineEntry] = []
        self.catalog, self.tree = self._reserve(), self._reserve()
        self._emit(b"%PDF-2.0\n%\xe2\xe3\xcf\xd3\n" if password else b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        self.encryption, self.encrypt_entry = None, 0
        if password is not None:
            from pypdf._encryption import EncryptAlgorithm, Encryption

            # An object is encrypted as it is written: the document is never held to encrypt it whole.
            self.encryption = Encryption.make(EncryptAlgorithm.AES_256, UserAccessPermissions.all(), b"")
            self.encrypt_entry = self._reserve()
            self._object(self.encrypt_entry, self.encryption.write_entry(password, None), encrypt=False)
        font = _Copy(self)
        self.font_number = font.number(folio.font)
        font.drain()

    def append(self, data: bytes, title: str, *, outline: bool = True) -> int:
        """Add the PDF ``data`` with an outline entry ``title`` for its first page, and under it
        the document's own outline if ``outline``; returns the index of its first page."""
        reader = PdfReader(io.BytesIO(data))
        copy = _Copy(self)
        start = len(self.kids)
        numbers = [copy.number(page.indirect_reference) for page in reader.pages]
        destinations = dict(_named_destinations(reader))
        for number, page in zip(numbers, reader.pages, strict=True):
            self._page(copy, number, page, destinations, start)
        copy.drain()
        entry = OutlineEntry(title, numbers[0] if numbers else self.kids[-1])
        if outline:
            entry.children = _outline(reader, reader.outline, numbers)
        self.outline.append(entry)
        return start

    def finish(self, metadata: Mapping[str, str]) -> int:
        """Write what only the end knows; returns the number of pages."""
        outlines = self._outline()
        info = self._reserve()
        self._object(info, DictionaryObject(
            {NameObject(f"/{key}"): TextStringObject(value) for key, value in metadata.items()}))
        self._object(self.tree, _dict(Type=NameObject("/Pages"), Count=NumberObject(len(self.kids)),
                                      Kids=ArrayObject(_Written(n) for n in self.kids)))
        # One range of decimal labels from 1: a viewer's page N is the page that prints N.
        labels = _dict(Nums=ArrayObject([NumberObject(0), _dict(S=NameObject("/D"))]))
        self._object(self.catalog, _dict(Type=NameObject("/Catalog"), Pages=_Written(self.tree),
                                         Outlines=_Written(outlines), PageMode=NameObject("/UseOutlines"),
                                         PageLabels=labels))
        identifier = self.digest.hexdigest()[:32]
        start = self.position
        rows = "".join(f"{offset:010d} 00000 n \n" for offset in self.offsets[1:])
        self._emit(f"xref\n0 {len(self.offsets)}\n0000000000 65535 f \n{rows}".encode())
        encrypt = f" /Encrypt {self.encrypt_entry} 0 R" if self.encrypt_entry else ""
        self._emit(f"trailer\n<</Size {len(self.offsets)} /Root {self.catalog} 0 R /Info {info} 0 R{encrypt} "
                   f"/ID [<{identifier}> <{identifier}>]>>\nstartxref\n{start}\n%%EOF\n".encode())
        return len(self.kids)

    def _page(self, copy: _Copy, number: int, page: Any, destinations: Mapping[str, Any], start: int) -> None:
        """Write a page of a document whose first page is the binder's ``start``-th (from 0)."""
        printed = len(self.kids) + 1
        self.kids.append(number)
        drawn = self.folio.renumber(_content(page), start, FOLIO_FONT)
        stamp = self.folio.stamp(printed, self.total, float(page.mediabox.width), FOLIO_FONT)
        content = b"q\n" + drawn + b"\nQ\n" + stamp
        stream = StreamObject()
        stream[NameObject("/Filter")] = NameObject("/FlateDecode")
        stream.set_data(zlib.compress(content))
        contents = self._reserve()
        self._object(contents, stream)
        resources = DictionaryObject(_resolved(page.get("/Resources")))
        fonts = DictionaryObject(_resolved(resources.get("/Font")))
        fonts[NameObject(f"/{FOLIO_FONT}")] = _Written(self.font_number)
        resources[NameObject("/Font")] = fonts
        annotations = [self._annotation(copy, a, number, destinations) for a in _annotations(page)]
        own = DictionaryObject({k: v for k, v in page.items() if k not in PAGE_KEYS_REDONE})
        own.update(_dict(Parent=_Written(self.tree), Contents=_Written(contents), Resources=resources,
                         Annots=ArrayObject(_Written(n) for n in annotations)))
        self._object(number, own, copy)

    def _annotation(self, copy: _Copy, annotation: Any, page: int, destinations: Mapping[str, Any]) -> int:
        """A page's annotation, a link to a named destination pointed at the place itself."""
        own = DictionaryObject({k: v for k, v in annotation.items() if k not in ANNOTATION_KEYS_LEFT})
        own[NameObject("/P")] = _Written(page)
        dest = own.get("/Dest")
        if dest is not None and not isinstance(dest.get_object(), ArrayObject):
            own[NameObject("/Dest")] = destinations.get(_name(dest), ArrayObject())
        action = _resolved(own.get("/A"))
        target = action.get("/D") if action.get("/S") == "/GoTo" else None
        if target is not None and not isinstance(target.get_object(), ArrayObject):
            own[NameObject("/Dest")] = destinations.get(_name(target), ArrayObject())
            del own["/A"]
        number = self._reserve()
        self._object(number, own, copy)
        return number

    def _outline(self) -> int:
        """Write the outline; returns its root's object number."""
        root = self._reserve()
        numbers = self._outline_items(self.outline, root)
        own = _dict(Type=NameObject("/Outlines"), Count=NumberObject(_count(self.outline)))
        if numbers:
            own.update(_dict(First=_Written(numbers[0]), Last=_Written(numbers[-1])))
        self._object(root, own)
        return root

    def _outline_items(self, entries: list[OutlineEntry], parent: int) -> list[int]:
        numbers = [self._reserve() for _ in entries]
        for index, (entry, number) in enumerate(zip(entries, numbers, strict=True)):
            children = self._outline_items(entry.children, number)
            top = NullObject() if entry.top is None else FloatObject(entry.top)
            own = _dict(Title=TextStringObject(entry.title), Parent=_Written(parent), Dest=ArrayObject(
                [_Written(entry.page), NameObject("/XYZ"), NullObject(), top, NullObject()]))
            if index:
                own.update(_dict(Prev=_Written(numbers[index - 1])))
            if index + 1 < len(numbers):
                own.update(_dict(Next=_Written(numbers[index + 1])))
            if children:
                own.update(_dict(First=_Written(children[0]), Last=_Written(children[-1]),
                                 Count=NumberObject(_count(entry.children))))
            self._object(number, own)
        return numbers

    def _reserve(self) -> int:
        self.offsets.append(0)
        return len(self.offsets) - 1

    def _object(self, number: int, obj: PdfObject, copy: _Copy | None = None, *,
                encrypt: bool = True) -> None:
        """Write ``obj`` as object ``number``, its references to a source renumbered by ``copy``."""
        if self.encryption is not None and encrypt:
            obj = self.encryption.encrypt_object(obj, number, 0)
        if isinstance(obj, StreamObject):
            data = obj._data  # as stored: a copied stream stays compressed as it came
            head = DictionaryObject({k: v for k, v in obj.items() if k != "/Length"})
            head[NameObject("/Length")] = NumberObject(len(data))
            body = _value(head, copy) + b"\nstream\n" + data + b"\nendstream"
        else:
            body = _value(obj, copy)
        self.offsets[number] = self.position
        self._emit(b"%d 0 obj\n" % number + body + b"\nendobj\n")

    def _emit(self, data: bytes) -> None:
        self.out.write(data)
        self.digest.update(data)
        self.position += len(data)


class _Copy:
    """One source document's objects, each given a number in the output the first time it is
    reached and written once."""

    def __init__(self, pdf: BinderPdf) -> None:
        self.pdf = pdf
        self.numbers: dict[int, int] = {}
        self.todo: list[Any] = []

    def number(self, ref: Any) -> int:
        found = self.numbers.get(ref.idnum)
        if found is None:
            found = self.numbers[ref.idnum] = self.pdf._reserve()
            self.todo.append(ref)
        return found

    def drain(self) -> None:
        """Write every object reached and not yet written (pages are written by the caller)."""
        while self.todo:
            ref = self.todo.pop()
            obj = ref.get_object()
            if not (isinstance(obj, DictionaryObject) and obj.get("/Type") == "/Page"):
                self.pdf._object(self.numbers[ref.idnum], obj, self)

    def reference(self, ref: IndirectObject) -> bytes:
        """A reference to a source object as the output numbers it, or null if it is not copied."""
        target = ref.get_object()
        if isinstance(target, DictionaryObject) and (
                target.get("/Type") in LEFT_BEHIND
                or (target.get("/Type") == "/Page" and ref.idnum not in self.numbers)):
            return b"null"  # the source's own structure, or a page of it that is not copied
        return b"%d 0 R" % self.number(ref)


def _value(obj: Any, copy: _Copy | None) -> bytes:
    """``obj`` as the output writes it, each reference to the source renumbered by ``copy``."""
    if isinstance(obj, IndirectObject):
        assert copy is not None, "a reference to a source document, with no document to copy it from"
        return copy.reference(obj)
    if isinstance(obj, DictionaryObject):
        return b"<<" + b" ".join(_text(k) + b" " + _value(v, copy) for k, v in obj.items()) + b">>"
    if isinstance(obj, ArrayObject):
        return b"[" + b" ".join(_value(v, copy) for v in obj) + b"]"
    return _text(obj)


class _Written(PdfObject):
    """A reference to an object of the output itself, numbered already."""

    def __init__(self, number: int) -> None:
        self.number = number

    def write_to_stream(self, stream: Any, encryption_key: Any = None) -> None:
        stream.write(b"%d 0 R" % self.number)


def _dict(**entries: PdfObject) -> DictionaryObject:
    return DictionaryObject({NameObject(f"/{key}"): value for key, value in entries.items()})


def _text(obj: Any) -> bytes:
    out = io.BytesIO()
    obj.write_to_stream(out)
    return out.getvalue()


def _count(entries: list[OutlineEntry]) -> int:
    return sum(1 + _count(e.children) for e in entries)


def _content(page: Any) -> bytes:
    """A page's content, its streams joined."""
    contents = page.get("/Contents")
    if contents is None:
        return b""
    contents = contents.get_object()
    streams = contents if isinstance(contents, list) else [contents]
    return b"\n".join(s.get_object().get_data() for s in streams)


def _annotations(page: Any) -> Iterator[Any]:
    annotations = page.get("/Annots")
    for annotation in (annotations.get_object() if annotations is not None else None) or []:
        yield annotation.get_object()


def _named_destinations(reader: Any) -> Iterator[tuple[str, Any]]:
    """Each named destination of the document, as the explicit destination it names."""
    root = reader.trailer["/Root"].get_object()
    old = root.get("/Dests")
    if old is not None:
        for name, dest in old.get_object().items():
            yield _name(name), _explicit(dest)
    names = root.get("/Names")
    tree = names.get_object().get("/Dests") if names is not None else None
    stack = [tree.get_object()] if tree is not None else []
    while stack:
        node = stack.pop()
        pairs = node.get("/Names")
        if pairs is not None:
            pairs = pairs.get_object()
            for index in range(0, len(pairs) - 1, 2):
                yield _name(pairs[index]), _explicit(pairs[index + 1])
        stack.extend(kid.get_object() for kid in node.get("/Kids", []) or [])


def _name(value: Any) -> str:
    """A destination's name, written as a string or (in PDF 1.1) as a name."""
    value = value.get_object()
    return str(value)[1:] if isinstance(value, NameObject) else str(value)


def _resolved(value: Any) -> Any:
    return value.get_object() if value is not None else {}


def _explicit(dest: Any) -> Any:
    dest = dest.get_object()
    return dest.get("/D", dest) if hasattr(dest, "get") else dest


def _outline(reader: Any, items: list[Any], numbers: list[int]) -> list[OutlineEntry]:
    """The document's own outline, on its pages as the output numbers them."""
    entries: list[OutlineEntry] = []
    for item in items:
        if isinstance(item, list):
            if entries:
                entries[-1].children.extend(_outline(reader, item, numbers))
            continue
        index = reader.get_destination_page_number(item)
        if index is not None and 0 <= index < len(numbers):
            top = item.get("/Top")
            entries.append(OutlineEntry(str(item.title), numbers[index],
                                        float(top) if isinstance(top, (int, float)) else None))
    return entries

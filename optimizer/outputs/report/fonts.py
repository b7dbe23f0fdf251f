"""The fonts of the PDFs: an installed Chinese TrueType font, embedded, found by itself.

A PDF that only *references* a Chinese font (reportlab's built-in ``STSong-Light``)
depends on the reader: Acrobat asks to download a font pack, and poppler without
Adobe's CJK data draws every Chinese character blank. So the PDFs embed the subset
of glyphs they use from a TrueType font installed on the machine, found in this
order: ``--font`` if given; the usual files of Windows (Microsoft YaHei, SimHei,
SimSun), macOS (the TrueType collections among PingFang, STHeiti, Songti, Arial
Unicode) and Linux (WenQuanYi, Droid Sans Fallback, AR PL); then anything
``fc-list :lang=zh`` names. Fonts with PostScript (CFF) outlines — the ``.otf`` and
most Noto CJK ``.ttc`` files — cannot be embedded by reportlab and are passed over.
Only when nothing usable is installed does the PDF fall back to referencing
``STSong-Light``, with a warning that says what to install.

Latin text is set in Helvetica, one of the 14 fonts every PDF reader has; each run
of text goes to the font that has its characters.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

log = logging.getLogger(__name__)

REFERENCED_CJK = "STSong-Light"
"""The font a PDF names, without embedding it, when no TrueType Chinese font is found."""
LATIN = "Helvetica"
LATIN_BOLD = "Helvetica-Bold"

_WINDOWS = Path(os.environ.get("WINDIR", "C:/Windows")) / "Fonts"
KNOWN_FONTS: tuple[Path, ...] = (
    # Windows: YaHei is the interface font since Vista; SimHei and SimSun are on every
    # Chinese Windows.
    _WINDOWS / "msyh.ttc", _WINDOWS / "msyh.ttf", _WINDOWS / "simhei.ttf",
    _WINDOWS / "simsun.ttc",
    # macOS: the collections with TrueType outlines (PingFang's may be CFF: then skipped).
    Path("/System/Library/Fonts/STHeiti Medium.ttc"),
    Path("/System/Library/Fonts/STHeiti Light.ttc"),
    Path("/System/Library/Fonts/PingFang.ttc"),
    Path("/System/Library/Fonts/Supplemental/Songti.ttc"),
    Path("/Library/Fonts/Songti.ttc"),
    Path("/System/Library/Fonts/Supplemental/Arial Unicode.ttf"),
    Path("/Library/Fonts/Arial Unicode.ttf"),
    # Linux (Debian and Ubuntu paths; fc-list finds the rest).
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),
    Path("/usr/share/fonts/truetype/arphic/uming.ttc"),
    Path("/usr/share/fonts/truetype/arphic/ukai.ttc"),
    Path("/usr/share/fonts/wqy-microhei/wqy-microhei.ttc"),
    Path("/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc"),
)
"""Where the common Chinese TrueType fonts live, most legible first."""

INSTALL_HINT = ("install a Chinese TrueType font (Debian/Ubuntu: apt-get install "
                "fonts-wqy-zenhei; Windows and macOS have one) or pass --font FILE.ttf")

_PROBE = "中文姓名"  # a font that cannot draw these is no use for a Chinese report


def installed_fonts() -> list[Path]:
    """Chinese font files fontconfig knows (``fc-list :lang=zh``), TrueType extensions only."""
    if shutil.which("fc-list") is None:
        return []
    try:
        done = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True,
                              timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return []
    found = []
    for line in done.stdout.splitlines():
        # Each line is "path:" (the file element only); a Windows path has a colon of
        # its own, so only the last one is cut.
        path = Path(line.strip().removesuffix(":").strip())
        if path.suffix.lower() in (".ttf", ".ttc"):
            found.append(path)
    return sorted(set(found), key=str)


def register_font(path: str | Path) -> str:
    """Check that ``path`` can set Chinese in a PDF and register it; ``ValueError`` if not.

    The CLI calls this before a long solve, so a bad ``--font`` is said at once.
    """
    return _register(Path(path))


def _register(path: Path) -> str:
    """Register ``path`` with reportlab and return its PDF font name; ``ValueError`` if unusable.

    A ``.ttc`` holds several faces; the first is the regular one in the common Chinese
    collections.
    """
    # A PDF font name may not hold spaces or delimiters.
    name = "Embedded-" + re.sub(r"[^A-Za-z0-9-]", "", path.stem)
    if name in pdfmetrics.getRegisteredFontNames():
        return name
    options = {"subfontIndex": 0} if path.suffix.lower() == ".ttc" else {}
    try:
        font = TTFont(name, str(path), **options)
    except Exception as exc:  # reportlab raises TTFError and plain errors
        raise ValueError(
            f"cannot use {path.name} as a font: {exc}. Expected a TrueType .ttf or .ttc "
            "(fonts with PostScript/CFF outlines, such as the .otf Noto CJK files, cannot "
            "be embedded).") from None
    if not all(ord(char) in font.face.charToGlyph for char in _PROBE):
        raise ValueError(f"cannot use {path.name} as a font: it has no Chinese characters.")
    pdfmetrics.registerFont(font)
    return name


def find_cjk_font(candidates: Iterable[Path] | None = None) -> Path | None:
    """The first installed Chinese TrueType font reportlab can embed, or None."""
    for path in (candidates if candidates is not None else _default_candidates()):
        if not path.is_file():
            continue
        try:
            _register(path)
        except ValueError as exc:
            log.debug("font %s passed over: %s", path, exc)
            continue
        return path
    return None


def _default_candidates() -> list[Path]:
    return list(dict.fromkeys([*KNOWN_FONTS, *installed_fonts()]))


@cache
def _found_once() -> Path | None:
    """The search runs fc-list and opens font files: once per process is enough."""
    return find_cjk_font()


@cache
def _warn_missing() -> None:
    """Say it once per process, not once per PDF."""
    log.warning("no Chinese TrueType font found: the PDF names %s without embedding it, so "
                "some readers show Chinese text blank; %s", REFERENCED_CJK, INSTALL_HINT)


class Fonts:
    """Which font sets which characters: Helvetica what WinAnsi covers, the CJK font the rest.

    ``embed`` is a TrueType file to embed (``--font``); by default an installed one is
    found; ``embedded`` says whether the Chinese glyphs are inside the PDF.
    """

    def __init__(self, embed: str | Path | None = None) -> None:
        path = Path(embed) if embed is not None else _found_once()
        if path is not None:
            self.cjk = _register(path)
            self.path: Path | None = path
        else:
            _warn_missing()
            if REFERENCED_CJK not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(UnicodeCIDFont(REFERENCED_CJK))
            self.cjk = REFERENCED_CJK
            self.path = None

    @property
    def embedded(self) -> bool:
        return self.path is not None

    @staticmethod
    def _latin(char: str) -> bool:
        try:
            char.encode("cp1252")
        except UnicodeEncodeError:
            return False
        return True

    def markup(self, text: str) -> str:
        """Paragraph markup of ``text``: escaped, each non-Latin run in the CJK font."""
        runs: list[str] = []
        current: list[str] = []
        latin: bool | None = None
        for char in text:
            kind = self._latin(char) or char in " \n"
            if latin is not None and kind != latin and current:
                runs.append(self._run("".join(current), latin))
                current = []
            latin = kind
            current.append(char)
        if current:
            runs.append(self._run("".join(current), bool(latin)))
        return "".join(runs).replace("\n", "<br/>")

    def _run(self, text: str, latin: bool) -> str:
        escaped = escape(text)
        return escaped if latin else f'<font name="{self.cjk}">{escaped}</font>'

    def width(self, text: str, size: float) -> float:
        """Printed width of ``text`` in points, each run in its own font."""
        return sum(pdfmetrics.stringWidth(t, LATIN if latin else self.cjk, size)
                   for t, latin in self._pieces(text))

    def fit(self, text: str, size: float, width: float) -> str:
        """``text``, cut with "…" to fit ``width`` points on one line."""
        if self.width(text, size) <= width:
            return text
        while text and self.width(text + "…", size) > width:
            text = text[:-1]
        return text + "…"

    def _pieces(self, text: str) -> list[tuple[str, bool]]:
        """``text`` split into runs of (characters, set in Latin?)."""
        pieces: list[tuple[str, bool]] = []
        current = ""
        latin: bool | None = None
        for char in text:
            kind = self._latin(char)
            if latin is not None and kind != latin:
                pieces.append((current, latin))
                current = ""
            latin = kind
            current += char
        if current:
            pieces.append((current, bool(latin)))
        return pieces

    def draw(self, canvas: Canvas, x: float, y: float, text: str, size: float,
             align: str = "left") -> None:
        """Draw one line on the canvas (page header and footer), run by run."""
        pieces = self._pieces(text)
        width = self.width(text, size)
        if align == "center":
            x -= width / 2
        elif align == "right":
            x -= width
        for piece, lat in pieces:
            font = LATIN if lat else self.cjk
            canvas.setFont(font, size)
            canvas.drawString(x, y, piece)
            x += pdfmetrics.stringWidth(piece, font, size)

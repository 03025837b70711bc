"""Pictures lose their location and every other piece of metadata on the way to the site."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from PIL import Image, ImageCms

from tests.conftest import SAMPLE, run_generator

GPS_IFD = 0x8825
ORIENTATION = 0x0112
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description GPSLatitude="29,33.6N"/></rdf:RDF></x:xmpmeta>'


def phone_photo(path: Path, size: tuple[int, int]) -> None:
    """A JPEG as a phone writes it: GPS position, orientation 6 (rotate 90°), comment, XMP, ICC."""
    image = Image.new("RGB", size, (200, 40, 40))
    image.paste((40, 40, 200), (0, 0, size[0] // 2, size[1]))  # left half blue, to see the rotation
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (29.0, 33.0, 36.0), 3: "E", 4: (106.0, 33.0, 0.0)})
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    image.save(path, "JPEG", exif=exif, comment=b"taken at Li's home", xmp=XMP, icc_profile=icc, quality=90)


def test_a_phone_photo_is_published_without_metadata(tmp_path: Path) -> None:
    stories = tmp_path / "stories"
    shutil.copytree(SAMPLE, stories)
    phone_photo(stories / "images" / "mask.jpg", (2400, 1200))
    with Image.open(stories / "images" / "mask.jpg") as original:
        assert original.getexif().get_ifd(GPS_IFD) and original.info.get("comment")  # the test can fail

    site = tmp_path / "site"
    result = run_generator("build", "--stories", str(stories), "--site-dir", str(site))
    assert result.returncode == 0, result.stderr

    for name in ("mask.jpg", "mask-small.jpg"):
        raw = (site / "knowledge" / "wear-masks" / name).read_bytes()
        published = Image.open(io.BytesIO(raw))  # in memory: nothing to close
        assert published.format == "JPEG"
        assert dict(published.getexif()) == {}
        assert not published.getexif().get_ifd(GPS_IFD)
        assert "comment" not in published.info and "xmp" not in published.info
        assert "icc_profile" not in published.info and "exif" not in published.info
        for marker in (b"Exif\x00\x00", b"http://ns.adobe.com/xap/1.0/", b"ICC_PROFILE", b"PhoneMaker", b"Li's home"):
            assert marker not in raw
    with Image.open(site / "knowledge" / "wear-masks" / "mask.jpg") as full:
        # Orientation 6 applied: the 2400×1200 landscape photo stands upright.
        assert full.size == (1200, 2400)
        # After the 90° turn the blue left half is on top.
        top, bottom = full.convert("RGB").getpixel((600, 100)), full.convert("RGB").getpixel((600, 2300))
        assert top[2] > 150 > top[0] and bottom[0] > 150 > bottom[2]
    with Image.open(site / "knowledge" / "wear-masks" / "mask-small.jpg") as small:
        assert small.size == (480, 960)


def test_wide_pictures_are_resized_and_pngs_lose_their_text(tmp_path: Path) -> None:
    stories = tmp_path / "stories"
    shutil.copytree(SAMPLE, stories)
    png = Image.new("RGB", (3200, 800), (10, 120, 60))
    from PIL import PngImagePlugin

    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "家庭住址")
    png.save(stories / "knowledge" / "mask-steps.png", pnginfo=text)
    site = tmp_path / "site"
    assert run_generator("build", "--stories", str(stories), "--site-dir", str(site)).returncode == 0
    with Image.open(site / "knowledge" / "wear-masks" / "mask-steps.png") as published:
        assert published.size == (1600, 400)
        assert "Comment" not in published.info
    assert "家庭住址".encode() not in (site / "knowledge" / "wear-masks" / "mask-steps.png").read_bytes()

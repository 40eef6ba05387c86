"""A fake camera for browser tests: Chromium reads a YUV4MPEG2 file as its webcam.

Chromium's `--use-file-for-fake-video-capture` loops the file, so a video that shows
the badge for a second and then an empty frame for longer than the scanner's 3 s
debounce is a badge held up, taken away and held up again (a second pass).
"""

import contextlib
import subprocess

from PIL import Image

from tests.conftest import CHROMIUM, CHROMIUM_ARGS

WIDTH, HEIGHT, FPS = 640, 480, 10


def qr_frame(qr):
    """A camera frame (greyscale, WIDTH × HEIGHT) with the QR image filling most of it, on white."""
    side = min(WIDTH, HEIGHT) - 80
    qr = qr.convert("L").resize((side, side), Image.NEAREST)
    frame = Image.new("L", (WIDTH, HEIGHT), 255)
    frame.paste(qr, ((WIDTH - side) // 2, (HEIGHT - side) // 2))
    return frame


def printed_badge_frame(pdf_path, folder):
    """A camera frame of the printed badge: its PDF's first page rendered by poppler, fitted into the frame."""
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", str(pdf_path), str(folder / "printed")], check=True
    )
    page = Image.open(next(folder.glob("printed*.png"))).convert("L")
    page.thumbnail((WIDTH, HEIGHT), Image.LANCZOS)
    frame = Image.new("L", (WIDTH, HEIGHT), 255)
    frame.paste(page, ((WIDTH - page.width) // 2, (HEIGHT - page.height) // 2))
    return frame


def badge_video(frame, path, *, seconds_with_badge=1, seconds_without=4):
    """Write a YUV4MPEG2 video to `path`: `frame` for a while, then an empty white frame. Returns `path`."""
    chroma = bytes([128]) * (WIDTH // 2 * HEIGHT // 2 * 2)  # U and V planes: no colour
    with_badge = b"FRAME\n" + frame.convert("L").tobytes() + chroma
    without = b"FRAME\n" + bytes([255]) * (WIDTH * HEIGHT) + chroma
    with open(path, "wb") as video:
        video.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F{FPS}:1 Ip A1:1 C420jpeg\n".encode())
        video.write(with_badge * (FPS * seconds_with_badge) + without * (FPS * seconds_without))
    return path


@contextlib.contextmanager
def browser_with_camera(browser_type, video):
    """A Chromium of its own whose camera shows `video`; camera permission is granted without asking."""
    browser = browser_type.launch(
        executable_path=CHROMIUM,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    try:
        yield browser
    finally:
        browser.close()

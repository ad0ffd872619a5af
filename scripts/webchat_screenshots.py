"""Screenshots of the web chat for docs/webchat.md: 320 px and 1280 px wide, after one question.

    .venv/bin/python scripts/webchat_screenshots.py

Starts the web chat on a free loopback port (as the tests do) and drives Debian's chromium with Playwright.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from playwright.async_api import async_playwright  # noqa: E402

from bot.config import load_settings  # noqa: E402
from fakes.web_server import serve_web  # noqa: E402

OUT = ROOT / "docs" / "webchat"


async def main() -> None:
    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("needs Debian's chromium: apt-get install chromium")
    OUT.mkdir(parents=True, exist_ok=True)
    async with serve_web(load_settings(ROOT / "config.yml", environ={})) as web, async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        for width, height in ((320, 640), (1280, 800)):
            page = await browser.new_page(viewport={"width": width, "height": height})
            await page.goto(web.url + "/chat/")
            await page.locator(".stf-launcher").click()
            await page.locator("#stf-input").fill("hvem skal jeg ringe til")
            await page.keyboard.press("Enter")
            await page.locator(".stf-bot").nth(1).wait_for()
            await page.screenshot(path=str(OUT / f"chat-{width}.png"))
            print(f"wrote {OUT / f'chat-{width}.png'}")
        await browser.close()


if __name__ == "__main__":
    asyncio.run(main())

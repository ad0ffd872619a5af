"""The web chat in a real browser: Debian's chromium driven by Playwright, against the real server.

Keyboard alone through the guided first contact; replies announced once through the live region; a reload of
the tab keeps the conversation; "Glem mig" empties it; axe-core finds no WCAG 2.1 A/AA violation; a 320 px
screen and 200% zoom need no horizontal scrolling. Fails (never skips) when chromium is missing: `make test`
installs it (apt-get install chromium).
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator

import pytest
from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Browser, Page, async_playwright, expect

from bot.config import Settings
from fakes.web_server import Served, serve_web

pytestmark = pytest.mark.asyncio
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def chromium() -> str:
    path = shutil.which("chromium")
    if path is None:
        pytest.fail("the browser tests need Debian's chromium: `make test` installs it (apt-get install chromium)")
    return path


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=chromium(), args=["--no-sandbox"])
        yield launched
        await launched.close()


@pytest.fixture
async def web(settings: Settings) -> AsyncIterator[Served]:
    async with serve_web(settings) as served:
        yield served


async def open_chat(page: Page, web: Served) -> None:
    """Open the demo page and the chat by keyboard: Tab to the launcher, Enter."""
    await page.goto(web.url + "/chat/")
    launcher = page.locator(".stf-launcher")
    await expect(launcher).to_have_attribute("aria-expanded", "false")
    await page.keyboard.press("Tab")
    await expect(launcher).to_be_focused()
    await page.keyboard.press("Enter")
    await expect(launcher).to_have_attribute("aria-expanded", "true")
    await expect(page.locator("#stf-input")).to_be_focused()


async def ask(page: Page, text: str, replies: int) -> None:
    """Type a question and press Enter; wait until the log holds `replies` bot messages."""
    await page.keyboard.type(text)
    await page.keyboard.press("Enter")
    await expect(page.locator(".stf-bot")).to_have_count(replies)


async def test_a_conversation_by_keyboard_alone_through_the_guided_first_contact(browser: Browser,
                                                                                 web: Served) -> None:
    page = await browser.new_page()
    await open_chat(page, web)
    log = page.locator(".stf-log")
    await expect(log).to_have_attribute("role", "log")
    await expect(log).to_have_attribute("aria-live", "off")  # the log is not read again: the live region is
    first = page.locator(".stf-bot").first
    await expect(first).to_contain_text("Du skriver med en chatbot – ikke et menneske.")
    await expect(page.locator(".stf-emergency")).to_contain_text("112")
    await expect(page.locator(".stf-emergency")).to_contain_text("70 201 201")

    await ask(page, "hvem skal jeg ringe til", 2)
    live = page.locator(".stf-visually-hidden[aria-live=polite]")
    await expect(live).to_contain_text("Chatbot: Er du fyldt 30 år")  # announced once, through the live region
    await expect(page.locator("#stf-input")).to_be_focused()  # focus stays where the person writes
    you = page.locator(".stf-you").first
    await expect(you.locator(".stf-who")).to_have_text("Dig")
    await expect(you).to_have_attribute("lang", "da")
    await expect(page.locator(".stf-bot").nth(1).locator(".stf-who")).to_have_text("Chatbot")

    await page.keyboard.press("Shift+Tab")  # back from the input to the reply's last choice
    choice = page.locator(".stf-choice").last
    await expect(choice).to_be_focused()
    await expect(choice).to_have_text("30 år eller ældre")
    await page.keyboard.press("Enter")
    await expect(page.locator(".stf-bot")).to_have_count(3)
    await expect(page.locator(".stf-bot").nth(2)).to_contain_text("Visitationen")
    await expect(page.locator("#stf-input")).to_be_focused()

    await page.keyboard.press("Escape")  # closes, and the launcher has the focus again
    await expect(page.locator(".stf-launcher")).to_be_focused()
    await expect(page.locator("#stf-panel")).to_be_hidden()


async def test_an_english_question_gets_an_english_reply_and_the_widget_speaks_english(browser: Browser, web: Served) -> None:
    page = await browser.new_page()
    await open_chat(page, web)
    await ask(page, "does treatment cost anything?", 2)
    await expect(page.locator(".stf-bot").nth(1)).to_have_attribute("lang", "en")
    # the widget's own words follow: Danish first, English when the person writes English
    await expect(page.locator(".stf-label")).to_have_text("Write your question")
    await expect(page.locator(".stf-emergency")).to_contain_text("Emergency: call 112")
    await expect(page.locator(".stf")).to_have_attribute("lang", "en")


async def test_a_reload_of_the_tab_keeps_the_conversation(browser: Browser, web: Served) -> None:
    page = await browser.new_page()
    await open_chat(page, web)
    await ask(page, "hvem skal jeg ringe til", 2)
    await page.reload()
    await expect(page.locator(".stf-launcher")).to_have_attribute("aria-expanded", "true")
    await expect(page.locator(".stf-bot")).to_have_count(2)  # the disclosure and the reply, once each
    await expect(page.locator(".stf-you")).to_have_count(1)
    await page.locator("#stf-input").focus()
    await ask(page, "jeg er 41", 3)  # the same conversation: the guided contact goes on
    await expect(page.locator(".stf-bot").nth(2)).to_contain_text("Visitationen")


async def test_leaving_the_page_tells_the_server_and_the_next_page_listens_again_with_the_chat_closed(
        browser: Browser, web: Served, monkeypatch: pytest.MonkeyPatch) -> None:
    """The beacon on leaving the page, and the stream opened again by the next page even with the chat closed:
    how a handover ends when the tab is closed and goes on through a reload (tests/web_tests/
    test_handover_serve.py follows it through the server)."""
    seen: list[str] = []
    away, back = web.chat.away, web.chat.back

    async def recording_away(key: str) -> None:
        seen.append("away")
        await away(key)

    async def recording_back(key: str) -> None:
        seen.append("back")
        await back(key)

    monkeypatch.setattr(web.chat, "away", recording_away)
    monkeypatch.setattr(web.chat, "back", recording_back)
    page = await browser.new_page()
    await open_chat(page, web)
    await ask(page, "koster det noget?", 2)
    await page.keyboard.press("Escape")  # the chat is closed, the conversation is not
    await expect(page.locator(".stf-launcher")).to_have_attribute("aria-expanded", "false")
    seen.clear()
    await page.reload()
    await expect(page.locator(".stf-launcher")).to_have_attribute("aria-expanded", "false")
    for _ in range(50):
        if seen == ["away", "back"]:
            break
        await asyncio.sleep(0.1)
    assert seen == ["away", "back"]
    await page.locator(".stf-launcher").click()
    await expect(page.locator(".stf-bot")).to_have_count(2)  # the transcript, once
    await page.goto("about:blank")
    for _ in range(50):
        if seen[-1:] == ["away"]:
            break
        await asyncio.sleep(0.1)
    assert seen == ["away", "back", "away"]


async def test_a_dropped_event_stream_resumes_with_nothing_lost(browser: Browser, web: Served) -> None:
    page = await browser.new_page()
    await open_chat(page, web)
    await ask(page, "koster det noget?", 2)
    session = await page.evaluate("JSON.parse(sessionStorage.getItem('stifinder.session'))")
    web.chat.conversations.close_all()  # the server ends every stream (the connection drops)
    async with web.client() as client:  # and the conversation goes on before the browser is back
        await client.post(f"/chat/sessions/{session}/messages", json={"text": "kan jeg være anonym?"})
    # the browser reconnects by itself with the last id it saw and gets what it missed, once
    await expect(page.locator(".stf-bot")).to_have_count(3, timeout=10_000)
    await expect(page.locator(".stf-bot").nth(2)).to_contain_text("anonym")
    await page.wait_for_timeout(2500)
    await expect(page.locator(".stf-bot")).to_have_count(3)  # nothing repeated


async def test_glem_mig_empties_the_conversation(browser: Browser, web: Served) -> None:
    page = await browser.new_page()
    await open_chat(page, web)
    await ask(page, "hvem skal jeg ringe til", 2)
    session = await page.evaluate("JSON.parse(sessionStorage.getItem('stifinder.session'))")
    await page.locator(".stf-forget").click()
    await expect(page.locator(".stf-you")).to_have_count(0)
    await expect(page.locator(".stf-bot").last).to_contain_text("Samtalen er slettet")
    assert await page.evaluate("sessionStorage.getItem('stifinder.session')") is None
    from bot.identity import conversation_key
    from datetime import datetime, timezone

    state = await web.app.engine.state_of(conversation_key(web.app.secret, "web", session), datetime.now(timezone.utc))
    assert state.step is None and state.lang is None


@pytest.mark.parametrize("width, height", [(1280, 800), (320, 640), (640, 400)])  # 640 × 400: 1280 × 800 at 200%
async def test_no_wcag_violations_and_no_horizontal_scrolling(browser: Browser, web: Served, width: int,
                                                              height: int) -> None:
    page = await browser.new_page(viewport={"width": width, "height": height})
    await page.goto(web.url + "/chat/")
    axe = Axe()
    closed = await axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    assert closed.violations_count == 0, closed.generate_report()
    await page.locator(".stf-launcher").click()
    await page.locator("#stf-input").focus()
    await ask(page, "hvem skal jeg ringe til", 2)
    opened = await axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    assert opened.violations_count == 0, opened.generate_report()
    scroll_width = await page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{scroll_width} px wide on a {width} px screen"


async def test_reduced_motion_is_respected(browser: Browser, web: Served) -> None:
    context = await browser.new_context(reduced_motion="reduce")
    page = await context.new_page()
    await open_chat(page, web)
    duration = await page.evaluate("getComputedStyle(document.querySelector('.stf-launcher')).transitionDuration")
    assert duration in ("0s", "")
    await context.close()

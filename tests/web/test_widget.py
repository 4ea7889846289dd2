"""The chat widget in a real browser (Debian's Chromium) against the real assistant.

Each test opens the demo gemeente page served by the Rasa server itself
(/webhooks/webchat/demo/) in a fresh browser context.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.web.conftest import ANSWER_TIMEOUT_MS, AXE, LAUNCHER, Assistant, Tab

QUESTION = "Hoe hoog is de eigen bijdrage Wmo in 2024?"
# Vague messages, tried in turn until the assistant offers choices (its model decides which does).
VAGUE = ["bijdrage", "eigen bijdrage", "hoeveel", "kosten", "ik heb een vraag over geld", "zorg"]
XSS = "<img src=x onerror=alert(1)>"


def ask_until_choices(tab: Tab) -> Any:
    """Ask vague questions until the assistant asks "Bedoelt u...?" with buttons; the button group."""
    for text in VAGUE:
        tab.ask(text)
        group = tab.page.locator(".bw-log .bw-keuzes").last
        if group.count() and group.get_by_role("button").count() >= 2:
            return group
    pytest.fail(f"none of {VAGUE} gave a clarification with buttons")


def test_answer_with_source_and_safe_link(tab: Tab, assistant: Assistant):
    tab.goto_demo(assistant.demo)
    tab.open()
    first = tab.bot_messages().count()
    tab.ask(QUESTION)
    tab.page.locator(".bw-log .bw-bot", has_text="Bron:").first.wait_for(timeout=ANSWER_TIMEOUT_MS)
    answer = tab.bot_text_since(first)
    assert "2024" in answer and "€" in answer, answer
    assert re.search(r"^Bron:", answer, re.M), answer

    link = tab.page.locator(".bw-log .bw-bot", has_text="Bron:").first.locator("a").first
    href = link.get_attribute("href") or ""
    assert href.startswith("https://"), href
    assert link.get_attribute("target") == "_blank"
    assert set((link.get_attribute("rel") or "").split()) >= {"noopener", "noreferrer"}
    assert "nieuw venster" in link.inner_text()  # said to screen readers, visually hidden
    # No internet here: the source site is answered by a stub, so the new tab really loads it.
    tab.page.context.route(
        re.compile(r"^https?://(?!localhost)"),
        lambda route: route.fulfill(status=200, content_type="text/html", body="<title>bron</title>"),
    )
    with tab.page.context.expect_page() as popup_info:
        link.click()
    popup = popup_info.value
    popup.wait_for_load_state()
    assert popup.url == href
    assert popup.evaluate("window.opener") is None  # noopener
    popup.close()

    # Only allowed tags in bot messages.
    tags = tab.page.evaluate(
        "[...document.querySelectorAll('.bw-log .bw-bot .bw-tekst *')].map(e => e.tagName.toLowerCase())"
    )
    assert set(tags) <= {"p", "strong", "em", "a", "ul", "ol", "li", "br", "code", "span"}, tags


def test_clarification_button_is_a_real_button_and_answers(tab: Tab, assistant: Assistant):
    tab.goto_demo(assistant.demo)
    tab.open()
    group = ask_until_choices(tab)
    assert group.get_attribute("role") == "group"
    button = group.get_by_role("button").first
    title = button.inner_text()
    assert button.evaluate("b => b.tagName") == "BUTTON"
    group.evaluate("g => g.setAttribute('data-test', 'gekozen')")
    before = tab.bot_messages().count()
    button.click()
    tab.bot_messages().nth(before).wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert tab.page.locator(".bw-log .bw-gebruiker").last.inner_text().endswith(title)
    assert tab.page.locator("[data-test=gekozen]").count() == 0  # used choices disappear
    assert tab.page.evaluate("document.activeElement.id") == "bw-input"  # focus not lost
    sid = tab.session_id()
    stored = assistant.wait_user_texts(sid, 1)
    assert any(t.startswith("/") for t in stored), stored  # the payload was sent, not the title


def test_reload_shows_history_and_continues_the_same_session(tab: Tab, assistant: Assistant):
    tab.goto_demo(assistant.demo)
    tab.open()
    tab.ask(QUESTION)
    tab.page.locator(".bw-log .bw-bot", has_text="Bron:").first.wait_for(timeout=ANSWER_TIMEOUT_MS)
    sid = tab.session_id()
    transcript = tab.log.inner_text()
    stored_id = tab.page.evaluate("JSON.parse(sessionStorage.getItem('bw-widget:sessie'))")
    assert stored_id == sid

    tab.frames.clear()
    tab.page.reload()
    tab.page.wait_for_function("window.BWWidget && window.BWWidget.ready")
    tab.panel.wait_for()  # it was open, so it is open again
    assert tab.log.inner_text() == transcript
    assert tab.session_id() == sid
    for _ in range(50):  # frames arrive as events
        if any("session_request" in f and sid in f for f in tab.frames):
            break
        tab.page.wait_for_timeout(100)
    assert any("session_request" in f and sid in f for f in tab.frames), tab.frames

    tab.ask("Hoe hoog was de eigen bijdrage Wmo in 2023?")
    texts = assistant.wait_user_texts(sid, 2)
    assert texts[0] == QUESTION and texts[-1].endswith("2023?"), texts


def test_medewerker_button_sends_the_intent(tab: Tab, assistant: Assistant):
    tab.goto_demo(assistant.demo)
    tab.open()
    before = tab.bot_messages().count()
    tab.page.get_by_role("button", name="Praat met een medewerker").click()
    tab.bot_messages().nth(before).wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert tab.bot_text_since(before).strip()  # the hand-over answer itself is tested in tests/rasa
    assert tab.page.locator(".bw-log .bw-gebruiker").last.inner_text().endswith("Praat met een medewerker")
    assert any('"/vraag_medewerker"' in f for f in tab.frames), tab.frames
    assert assistant.wait_user_texts(tab.session_id(), 1) == ["/vraag_medewerker"]


def test_html_in_a_message_is_text(tab: Tab, assistant: Assistant):
    tab.goto_demo(assistant.demo)
    tab.open()
    tab.ask(XSS)
    mine = tab.page.locator(".bw-log .bw-gebruiker").last
    assert mine.locator(".bw-tekst").inner_text() == XSS
    assert tab.page.locator(".bw-widget img, .bw-widget script, .bw-widget [onerror]").count() == 0
    tab.page.wait_for_timeout(500)
    assert not tab.dialogs

    # Bot text is Markdown, sanitised: only the allowed tags survive, no script, no javascript: links.
    evil = (
        "**vet** " + XSS + " <script>alert(2)</script> [x](javascript:alert(3)) "
        '<a href="https://example.org" onclick="alert(4)">y</a> <iframe src="https://example.org"></iframe>\n\n'
        "# Kop\n\n![plaatje](https://example.org/x.png) [goed](https://example.org)"
    )
    out = tab.page.evaluate(
        """md => { const d = document.createElement('div'); d.innerHTML = BWWidget.renderMarkdown(md);
                   const els = [...d.querySelectorAll('*')];
                   return {html: d.innerHTML, text: d.textContent, tags: els.map(e => e.tagName.toLowerCase()),
                           attrs: els.flatMap(e => [...e.attributes].map(a => a.name + '=' + a.value))}; }""",
        evil,
    )
    assert set(out["tags"]) <= {"p", "strong", "em", "a", "ul", "ol", "li", "br", "code", "span"}, out
    assert not [a for a in out["attrs"] if a.startswith("on") or "javascript:" in a.lower()], out
    hrefs = [a for a in out["attrs"] if a.startswith("href=")]
    assert hrefs == ["href=https://example.org"], out  # the Markdown link; the raw <a> is text
    assert "rel=noopener noreferrer" in out["attrs"] and "target=_blank" in out["attrs"]
    assert XSS in out["text"] and "<strong>vet</strong>" in out["html"]  # raw HTML shown as text


def test_keyboard_only(tab: Tab, assistant: Assistant):
    page = tab.page
    tab.goto_demo(assistant.demo)
    for _ in range(15):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == LAUNCHER:
            break
    else:
        pytest.fail("the launcher cannot be reached with Tab")
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    tab.panel.wait_for()
    assert page.evaluate("document.activeElement.id") == "bw-input"
    assert_focus_visible(page)
    label = page.locator("label[for=bw-input]")
    assert label.is_visible() and label.inner_text() == "Typ uw vraag"

    before = tab.bot_messages().count()
    page.keyboard.type(QUESTION)
    page.keyboard.press("Enter")
    tab.bot_messages().nth(before).wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert page.evaluate("document.activeElement.id") == "bw-input"  # ready for the next question

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Verstuur"
    assert_focus_visible(page)
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Escape")
    tab.panel.wait_for(state="hidden")
    assert page.evaluate("document.activeElement.textContent") == LAUNCHER
    assert page.get_by_role("button", name=LAUNCHER).get_attribute("aria-expanded") == "false"


def assert_focus_visible(page: Any) -> None:
    style = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return {style: s.outlineStyle, width: parseFloat(s.outlineWidth)}; })()"
    )
    assert style["style"] not in ("none", "") and style["width"] >= 2, style


def test_live_region_announces_bot_messages(tab: Tab, assistant: Assistant):
    tab.goto_demo(assistant.demo)
    tab.open()
    log = tab.page.locator("#bw-log")
    assert log.get_attribute("role") == "log"
    assert log.get_attribute("aria-live") == "polite"
    assert tab.page.get_by_role("log").count() == 1
    # Watch the live region (it exists before the answer, as screen readers need).
    tab.page.evaluate(
        "window.__added = []; new MutationObserver(ms => ms.forEach(m => m.addedNodes.forEach("
        "n => n.nodeType === 1 && window.__added.push(n.className + '|' + n.textContent))))"
        ".observe(document.getElementById('bw-log'), {childList: true})"
    )
    tab.ask(QUESTION)
    added = tab.page.evaluate("window.__added")
    bot = [a for a in added if "bw-bot" in a.split("|")[0]]
    assert bot and all(a.split("|")[1].startswith("BW-assistent: ") for a in bot), added


def run_axe(page: Any) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


def describe(violations: list[dict]) -> str:
    return "\n".join(f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']]}" for v in violations)


def test_axe_wcag21_aa(tab: Tab, assistant: Assistant):
    tab.goto_demo(assistant.demo)
    closed = run_axe(tab.page)
    assert not closed, describe(closed)
    tab.open()
    tab.ask(QUESTION)
    tab.page.locator(".bw-log .bw-bot", has_text="Bron:").first.wait_for(timeout=ANSWER_TIMEOUT_MS)
    ask_until_choices(tab)
    tab.page.keyboard.press("Tab")  # focus styles present while checking
    opened = run_axe(tab.page)
    assert not opened, describe(opened)


def test_zoom_200_percent_reflows(browser: Any, assistant: Assistant):
    # A 1280x720 window at 200 % zoom: 640x360 CSS pixels at device scale factor 2.
    context = browser.new_context(viewport={"width": 640, "height": 360}, device_scale_factor=2)
    tab = Tab(context.new_page())
    tab.watch()
    try:
        tab.goto_demo(assistant.demo)
        tab.open()
        tab.ask(QUESTION)
        tab.page.locator(".bw-log .bw-bot", has_text="Bron:").first.wait_for(timeout=ANSWER_TIMEOUT_MS)
        page = tab.page
        inside = page.evaluate(
            """(() => {
              const vw = innerWidth, vh = innerHeight;
              const box = e => e.getBoundingClientRect();
              const within = e => { const b = box(e); return b.left >= 0 && b.right <= vw + 0.5
                                     && b.top >= 0 && b.bottom <= vh + 0.5 && b.width > 0; };
              const panel = document.getElementById('bw-panel');
              const log = document.getElementById('bw-log');
              return {
                panel: within(panel),
                input: within(document.getElementById('bw-input')),
                send: within(document.querySelector('.bw-verstuur')),
                close: within(document.querySelector('.bw-sluit')),
                noHorizontalScroll: log.scrollWidth <= log.clientWidth + 1
                                    && panel.scrollWidth <= panel.clientWidth + 1,
                logHeight: box(log).height,
                fontSize: parseFloat(getComputedStyle(panel).fontSize),
              };
            })()"""
        )
        assert inside["panel"] and inside["input"] and inside["send"] and inside["close"], inside
        assert inside["noHorizontalScroll"], inside
        assert inside["logHeight"] >= 80, inside  # room for at least a few lines of the conversation
        assert inside["fontSize"] >= 16, inside
        link = page.locator(".bw-log .bw-bot", has_text="Bron:").first.locator("a").first
        link.scroll_into_view_if_needed()
        assert link.is_visible()
        page.screenshot(path=str(assistant.db.parent / "zoom200.png"))
    finally:
        context.close()
    assert not tab.errors, tab.errors


@pytest.mark.parametrize(
    "kleuren,expected",
    [
        ({"primair": "#ffff00", "tekst": "#ffffff"}, ("rgb(21, 66, 115)", "rgb(255, 255, 255)")),  # 1.07:1
        ({"primair": "#006400", "tekst": "#ffffff"}, ("rgb(0, 100, 0)", "rgb(255, 255, 255)")),  # 7.4:1
        ({"primair": "geen kleur"}, ("rgb(21, 66, 115)", "rgb(255, 255, 255)")),
    ],
)
def test_configured_colours_need_enough_contrast(tab: Tab, assistant: Assistant, kleuren: dict, expected: tuple):
    import json

    url = f"{assistant.url}/webhooks/webchat/demo/kleurtest.html"
    page_html = (
        '<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Kleurtest</title>'
        f"<script>window.BWWidgetConfig = {{gemeente: 'Testdorp', kleuren: {json.dumps(kleuren)}}};</script>"
        '<script src="../bw-widget.js"></script></head><body><main><h1>Kleurtest</h1></main></body></html>'
    )
    tab.page.route(url, lambda route: route.fulfill(status=200, content_type="text/html", body=page_html))
    tab.goto_demo(url)
    launcher = tab.page.get_by_role("button", name=LAUNCHER)
    colours = launcher.evaluate("b => [getComputedStyle(b).backgroundColor, getComputedStyle(b).color]")
    assert tuple(colours) == expected
    tab.open()
    assert "Gemeente Testdorp" in tab.panel.inner_text()


def test_new_conversation_forgets_the_transcript_and_the_session(tab: Tab, assistant: Assistant):
    tab.goto_demo(assistant.demo)
    tab.open()
    tab.ask("Hallo")
    old = tab.session_id()
    tab.page.get_by_role("button", name="Nieuw gesprek").click()
    tab.page.wait_for_function(f"BWWidget.sessionId() && BWWidget.sessionId() !== {old!r}")
    assert tab.page.locator(".bw-log .bw-bericht").count() == 1  # only the greeting
    assert tab.page.get_by_role("status").inner_text() == "Nieuw gesprek gestart."
    stored = tab.page.evaluate("JSON.parse(sessionStorage.getItem('bw-widget:transcript'))")
    assert len(stored) == 1 and stored[0]["van"] == "bot"

"""The console in a real headless browser (Debian's chromium, driven by Selenium through its
chromedriver) against the local engine: the acceptance walk of the console. With
STACKWRIGHT_SCREENSHOTS=DIR it also saves the screenshots the docs show."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.console_server import as_deployed, console
from tests.helpers import EXAMPLES, Result
from tests.test_local_secrets import PASSWORD, TOKEN, project, secrets

Aws = Callable[[str], Any]
STACK = "quickstart-dev"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """A headless chromium (no sandbox: tests may run as root), closed after the module."""
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.skip(
            "no chromium and chromedriver (Debian's chromium, chromium-driver; .ci/run installs them)"
        )
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1100"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def shoot(driver: Any, name: str) -> None:
    folder = os.environ.get("STACKWRIGHT_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(Path(folder) / f"console-{name}.png"))


def texts(driver: Any, selector: str) -> list[str]:
    from selenium.webdriver.common.by import By

    return [e.text.strip() for e in driver.find_elements(By.CSS_SELECTOR, selector)]


def wait_for(driver: Any, condition: Callable[[Any], Any], seconds: float = 20) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, seconds, poll_frequency=0.2).until(condition)


def test_console_in_a_browser_shows_the_deployed_quickstart(
    browser: Any, tmp_path: Path, cli: Callable[..., Result], engine: str, aws: Aws
) -> None:
    import yaml
    from selenium.webdriver.common.by import By

    root = tmp_path / "quickstart"
    shutil.copytree(EXAMPLES / "quickstart", root)
    assert cli("--local", "deploy", cwd=root).code == 0, "deploy failed"
    physical, deployed = as_deployed(aws, STACK)
    with console(root) as served:
        browser.delete_all_cookies()
        browser.get(served.base + "/")  # no token: refused, nothing shown
        assert "Forbidden" in browser.title and not texts(browser, "td")
        browser.get(served.link)
        assert browser.current_url == served.base + "/"  # the token moved to a cookie
        assert texts(browser, 'td[data-column="stack"]') == [STACK]
        shoot(browser, "stacks")
        browser.find_element(By.LINK_TEXT, STACK).click()
        assert texts(browser, "#stack-status") == ["UPDATE_COMPLETE"]
        ids = texts(browser, '#panel-resources td[data-column="logical id"]')
        shown = texts(browser, '#panel-resources td[data-column="physical id"]')
        assert dict(zip(ids, shown, strict=True)) == physical
        # the live events panel reloads on its own, and the lazy pending diff arrives after the page
        wait_for(browser, lambda d: d.find_element(By.ID, "panel-events").get_attribute("data-loaded"))
        wait_for(browser, lambda d: "No changes" in d.find_element(By.ID, "panel-diff").text, 60)
        shoot(browser, "stack")
        browser.find_element(By.CSS_SELECTOR, "#panel-resources").find_element(
            By.LINK_TEXT, "ResultsTable"
        ).click()
        assert browser.current_url.endswith("/template#r-ResultsTable")
        assert (
            browser.execute_script("return window.scrollY") > 0
        )  # the anchor exists: the page scrolled to it
        browser.get(f"{served.base}/stacks/{STACK}")
        browser.find_element(By.CSS_SELECTOR, "nav.tabs").find_element(By.LINK_TEXT, "Template").click()
        code = browser.find_element(By.CSS_SELECTOR, "#panel-template .code pre").text
        assert yaml.safe_load(code) == deployed
        shoot(browser, "template")
        browser.find_element(By.CSS_SELECTOR, 'a.config-path[href$="#resources.processor"]').click()
        assert browser.current_url.endswith("/config#resources.processor")
        anchor = browser.find_element(By.ID, "resources.processor")
        assert anchor.location["y"] > 0
    assert [s["StackName"] for s in aws("cloudformation").describe_stacks()["Stacks"]] == [STACK]


def test_console_in_a_browser_shows_no_secret(
    browser: Any, tmp_path: Path, cli: Callable[..., Result], engine: str, aws: Aws
) -> None:
    from selenium.webdriver.common.by import By

    secrets(aws)
    root = project(tmp_path)
    assert cli("--local", "deploy", cwd=root).code == 0
    with console(root) as served:
        browser.get(served.link)
        browser.get(served.base + "/stacks/demo-dev")
        wait_for(browser, lambda d: "working it out" not in d.find_element(By.ID, "panel-diff").text, 60)
        pages = [browser.page_source]
        for panel in ("template", "config", "overview"):
            browser.get(f"{served.base}/stacks/demo-dev/{panel}")
            pages.append(browser.page_source)
        assert "{{resolve:secretsmanager:db:SecretString:password}}" in pages[1]
        for page in pages:
            assert PASSWORD not in page and TOKEN not in page and "pa${ss}word" not in page

//! A real headless Chromium driven over WebDriver (Debian's `chromium` and `chromium-driver`), for
//! tests that use the pages as a person does: they open the site, follow links, fill forms and
//! press buttons — never post to URLs. Every step is checked and photographed: it fails on a
//! console error (from chromedriver's browser log), a violation of the Content-Security-Policy
//! (reported by the browser to a collector of the harness), a 5xx answer, or visible text that
//! shows a raw key (`operation_scale`, or `draft` on a Chinese page).

mod csp;
mod forms;
mod review;

pub use csp::CspReports;

use std::{
    path::PathBuf,
    process::{Child, Command, Stdio},
    time::Duration,
};

use fantoccini::{
    Client, ClientBuilder, Locator, wd::Capabilities, wd::WebDriverCompatibleCommand,
};
use serde_json::{Value, json};

/// State names, kinds and levels that must never reach a Chinese page as they are stored.
const RAW_WORDS: [&str; 30] = [
    "draft",
    "submitted",
    "returned",
    "overdue",
    "decided",
    "accredited",
    "rejected",
    "recommended",
    "under_review",
    "qualified",
    "unqualified",
    "financing",
    "license",
    "transfer",
    "running",
    "stopped",
    "planned",
    "completed",
    "national",
    "provincial",
    "municipal",
    "enterprise",
    "university",
    "withdrawn",
    "active",
    "pending",
    "conversion",
    "industrialization",
    "cnipa",
    "expert",
];

/// chromedriver's own log of the page's console (`goog:loggingPrefs`).
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(json!({"type": "browser"}).to_string()),
        )
    }
}

/// A chromedriver process, stopped with the test.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A headless Chromium at 1440×900 on the site at `base`, photographing each step into `shots`.
pub struct Browser {
    pub client: Client,
    base: String,
    shots: PathBuf,
    step: usize,
    csp: CspReports,
    /// Statuses the next step may answer without failing (a refused form: 422).
    expected: Vec<u16>,
    /// The answer to the question the next step's page asks before sending (`data-confirm`).
    answer: Option<bool>,
    /// The last question asked.
    asked: Option<String>,
    _driver: Driver,
}

impl Browser {
    /// Starts chromedriver (`IPOC_TEST_CHROMEDRIVER`, default `chromedriver`) and a Chromium
    /// session whose pages are Chinese first.
    pub async fn open(base: &str, csp: CspReports, shots: PathBuf) -> Browser {
        let program =
            std::env::var("IPOC_TEST_CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        // Chromium takes its interface language (and the date fields' day order) from these
        let child = Command::new(&program)
            .env("LANGUAGE", "zh_CN:zh")
            .env("LANG", "zh_CN.UTF-8")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver (apt-get install chromium chromium-driver)");
        let driver = Driver(child);
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let mut options = json!({
            "args": ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1440,900", "--lang=zh-CN"],
            "prefs": {"intl.accept_languages": "zh-CN,zh"},
        });
        if let Ok(binary) = std::env::var("IPOC_TEST_CHROMIUM") {
            options["binary"] = json!(binary);
        }
        let mut capabilities = Capabilities::new();
        capabilities.insert("goog:chromeOptions".into(), options);
        capabilities.insert("goog:loggingPrefs".into(), json!({"browser": "ALL"}));
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a Chromium session");
        // this run's steps only
        let _ = std::fs::remove_dir_all(&shots);
        std::fs::create_dir_all(&shots).expect("screenshot folder");
        Browser {
            client,
            base: base.trim_end_matches('/').to_string(),
            shots,
            step: 0,
            csp,
            expected: Vec::new(),
            answer: None,
            asked: None,
            _driver: driver,
        }
    }

    /// Types `path` into the address bar (only to enter the site), then checks the page.
    pub async fn enter(&mut self, path: &str, step: &str) {
        let url = format!("{}{path}", self.base);
        self.client.goto(&url).await.expect("open the site");
        self.check(step).await;
    }

    /// Follows the link whose text is `text` (a menu entry's count beside it aside), then checks
    /// the page.
    pub async fn follow(&mut self, text: &str, step: &str) {
        let own_text = format!("//a[normalize-space(text()[1])='{text}' and not(text()[2])]");
        let link = match self.client.find(Locator::LinkText(text)).await {
            Ok(link) => Ok(link),
            Err(_) => self.client.find(Locator::XPath(&own_text)).await,
        };
        let link = link.unwrap_or_else(|_| panic!("no link “{text}” before {step}"));
        self.mark_page().await;
        link.click().await.expect("click the link");
        self.check(step).await;
    }

    /// Types `value` into the field named `name`, replacing what it holds.
    pub async fn fill(&self, name: &str, value: &str) {
        let field = self
            .client
            .find(Locator::Css(&format!("[name='{name}']")))
            .await;
        let field = field.unwrap_or_else(|_| panic!("no field {name}"));
        field.clear().await.expect("clear the field");
        field.send_keys(value).await.expect("type into the field");
    }

    /// Presses the button labelled `label`, then checks the page.
    pub async fn press(&mut self, label: &str, step: &str) {
        let path = format!("//button[normalize-space()='{label}']");
        let button = self.client.find(Locator::XPath(&path)).await;
        let button = button.unwrap_or_else(|_| panic!("no button “{label}” before {step}"));
        self.mark_page().await;
        button.click().await.expect("press the button");
        self.check(step).await;
    }

    /// Logs in through the form as `email` with `password` and lands on the home page.
    pub async fn log_in(&mut self, email: &str, password: &str) {
        self.enter("/login", "login").await;
        self.fill("email", email).await;
        self.fill("password", password).await;
        self.press("登录", "home").await;
    }

    /// The next step's page asks before sending (an irreversible write): answer `yes` or no.
    pub fn will_answer(&mut self, yes: bool) {
        self.answer = Some(yes);
    }

    /// The question the last step asked before sending.
    pub fn asked(&self) -> String {
        self.asked.clone().expect("a question was asked")
    }

    /// Lets the next step answer `status` (a form refused on purpose) without failing.
    pub fn expect_status(&mut self, status: u16) {
        self.expected.push(status);
    }

    /// The page's visible text.
    pub async fn text(&self) -> String {
        let text = self
            .client
            .execute("return document.body.innerText", Vec::new());
        text.await
            .expect("read the page")
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// The texts of the cells of the first table's header row.
    pub async fn column_labels(&self) -> Vec<String> {
        let script = "return Array.from(document.querySelectorAll('table thead th')).map(th => th.innerText.trim())";
        let labels = self
            .client
            .execute(script, Vec::new())
            .await
            .expect("headers");
        serde_json::from_value(labels).unwrap_or_default()
    }

    /// After each step: waits for the page, photographs it, and fails on console errors, CSP
    /// violations, 5xx answers and raw keys.
    /// Marks the page shown, so that [`Browser::check`] waits for the next one to replace it.
    pub(super) async fn mark_page(&self) {
        let mark = "window.__ipocShown = true;";
        self.client
            .execute(mark, Vec::new())
            .await
            .expect("mark the page");
    }

    /// Waits (up to 3 s: a link to an anchor of the same page stays) until the marked page is
    /// replaced and the new one has loaded.
    async fn wait_for_the_next_page(&self) {
        let replaced =
            "return window.__ipocShown === undefined && document.readyState === 'complete';";
        for _ in 0..150 {
            let seen = self.client.execute(replaced, Vec::new()).await;
            if seen.ok().and_then(|v| v.as_bool()).unwrap_or(false) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    pub(super) async fn check(&mut self, step: &str) {
        let mut stays = false;
        if let Some(yes) = self.answer.take() {
            stays = !yes;
            let asked = self.client.get_alert_text().await;
            let asked = asked.unwrap_or_else(|_| panic!("step “{step}” asks nothing first"));
            self.asked = Some(asked);
            match yes {
                true => self.client.accept_alert().await.expect("confirm"),
                false => self.client.dismiss_alert().await.expect("cancel"),
            }
        }
        self.client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css("body"))
            .await
            .expect("the page loads");
        if !stays {
            self.wait_for_the_next_page().await;
        }
        self.step += 1;
        let shot = self.client.screenshot().await.expect("screenshot");
        let file = self.shots.join(format!("{:02}-{step}.png", self.step));
        std::fs::write(&file, shot).expect("write the screenshot");
        let problems = self.problems().await;
        assert!(
            problems.is_empty(),
            "step “{step}” ({}): {problems:#?}",
            file.display()
        );
    }

    /// What is wrong with the page now: console errors and warnings (but the statuses the step
    /// expects), CSP violations reported since the last look, raw keys in its visible text.
    pub async fn problems(&mut self) -> Vec<String> {
        // a report reaches the collector a moment after the page
        tokio::time::sleep(Duration::from_millis(50)).await;
        let mut problems = self.console_errors().await;
        problems.extend(
            self.csp
                .take()
                .into_iter()
                .map(|r| format!("CSP violation: {r}")),
        );
        problems.extend(self.raw_keys().await);
        self.expected.clear();
        problems
    }

    async fn console_errors(&self) -> Vec<String> {
        let log = self
            .client
            .issue_cmd(BrowserLog)
            .await
            .unwrap_or(Value::Null);
        let entries = log.as_array().cloned().unwrap_or_default();
        entries
            .iter()
            .filter(|e| matches!(e["level"].as_str(), Some("SEVERE" | "WARNING")))
            .filter_map(|e| e["message"].as_str().map(str::to_string))
            .filter(|m| {
                !self
                    .expected
                    .iter()
                    .any(|s| m.contains(&format!("status of {s} (")))
            })
            .map(|m| format!("console: {m}"))
            .collect()
    }

    async fn raw_keys(&self) -> Vec<String> {
        let text = self.text().await;
        let lang = self
            .client
            .execute("return document.documentElement.lang", Vec::new());
        let chinese = lang.await.ok().and_then(|l| l.as_str().map(str::to_string));
        let chinese = chinese.is_some_and(|l| l.starts_with("zh"));
        let words =
            text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '@' || c == '.'));
        let mut raw: Vec<String> = words
            .filter(|w| !w.contains('@') && !w.contains('.'))
            .filter(|w| {
                let snake = w.contains('_')
                    && w.split('_').all(|p| {
                        !p.is_empty()
                            && p.chars()
                                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
                    });
                snake || (chinese && RAW_WORDS.contains(w))
            })
            .map(|w| format!("raw key on the page: {w}"))
            .collect();
        raw.dedup();
        raw
    }

    /// Ends the session (the driver stops with the browser).
    pub async fn close(self) {
        let _ = self.client.close().await;
    }
}

/// The demo site (`serve --demo`, the clock frozen at the harness's day unless `overrides` set
/// `IPOC_NOW`) on `backend`, and a browser on it photographing into `<root>/browser/<folder>`.
pub async fn demo_site(
    root: &str,
    folder: &str,
    backend: &crate::Backend,
    overrides: &[(&str, &str)],
) -> (crate::TestApp, Browser) {
    let (csp, report_uri) = CspReports::listen().await;
    let mut settings = vec![("IPOC_CSP_REPORT_URI", report_uri.as_str())];
    settings.extend_from_slice(overrides);
    let app = crate::spawn_demo_app(backend, &settings).await;
    let shots = PathBuf::from(root).join("browser").join(folder);
    let browser = Browser::open(&app.address, csp, shots).await;
    (app, browser)
}

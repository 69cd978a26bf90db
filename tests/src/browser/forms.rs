//! Filling and sending a page's forms as a person does: fields typed, lists picked, days chosen,
//! files attached, buttons pressed.

use fantoccini::Locator;
use serde_json::json;

use super::Browser;

/// The CSS of the form whose action ends with `action` (any form when it is empty).
fn form_of(action: &str) -> String {
    match action {
        "" => "form".to_string(),
        _ => format!("form[action$='{action}']"),
    }
}

impl Browser {
    /// Opens the folded section (`<details>`) whose summary is `summary`.
    pub async fn unfold(&self, summary: &str) {
        let path = format!("//summary[normalize-space()='{summary}']");
        let found = self.client.find(Locator::XPath(&path)).await;
        let found = found.unwrap_or_else(|_| panic!("no section “{summary}”"));
        found.click().await.expect("unfold the section");
    }

    /// Types `value` into the field `name` of the form whose action ends with `action`.
    pub async fn fill_form(&self, action: &str, name: &str, value: &str) {
        let css = format!("{} [name='{name}']", form_of(action));
        let field = self.client.find(Locator::Css(&css)).await;
        let field = field.unwrap_or_else(|_| panic!("no field {name} in the form {action}"));
        field.clear().await.expect("clear the field");
        field.send_keys(value).await.expect("type into the field");
    }

    /// Picks the option `value` of the list `name` in the form whose action ends with `action`.
    pub async fn choose(&self, action: &str, name: &str, value: &str) {
        let css = format!("{} select[name='{name}']", form_of(action));
        let list = self.client.find(Locator::Css(&css)).await;
        let list = list.unwrap_or_else(|_| panic!("no list {name} in the form {action}"));
        list.select_by_value(value).await.expect("pick the option");
    }

    /// Picks the day `date` (`YYYY-MM-DD`) in the date field `name` of the form `action` (a date
    /// field's typing order depends on the browser's locale; the picker sets this value).
    pub async fn pick_date(&self, action: &str, name: &str, date: &str) {
        let css = format!("{} [name='{name}']", form_of(action));
        let script =
            "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change'));";
        let field = self
            .client
            .find(Locator::Css(&css))
            .await
            .expect("the date field");
        let field = serde_json::to_value(field).expect("the element");
        self.client
            .execute(script, vec![field, json!(date)])
            .await
            .expect("pick the day");
    }

    /// Chooses the local file `path` in the file field `name` of the form `action`.
    pub async fn attach(&self, action: &str, name: &str, path: &std::path::Path) {
        let css = format!("{} input[type='file'][name='{name}']", form_of(action));
        let field = self
            .client
            .find(Locator::Css(&css))
            .await
            .expect("the file field");
        let path = path.to_str().expect("a UTF-8 path");
        field.send_keys(path).await.expect("choose the file");
    }

    /// Presses the button labelled `label` in the form whose action ends with `action`, then
    /// checks the page.
    pub async fn submit(&mut self, action: &str, label: &str, step: &str) {
        let path = format!(
            "//form[substring(@action, string-length(@action) - string-length('{action}') + 1) = '{action}']//button[normalize-space()='{label}']"
        );
        let button = self.client.find(Locator::XPath(&path)).await;
        let button = button.unwrap_or_else(|_| panic!("no button “{label}” in the form {action}"));
        self.mark_page().await;
        button.click().await.expect("press the button");
        self.check(step).await;
    }

    /// Scrolls the element `css` into view and checks (photographs) the page there.
    pub async fn look_at(&mut self, css: &str, step: &str) {
        let script = "document.querySelector(arguments[0]).scrollIntoView({block: 'center'});";
        self.client
            .execute(script, vec![json!(css)])
            .await
            .expect("scroll to it");
        self.check(step).await;
    }

    /// Whether the first error shown beside a field is in view.
    pub async fn error_in_view(&self) -> bool {
        let script = "const e = document.querySelector('.field-error'); if (!e) return false; const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight;";
        let seen = self.client.execute(script, Vec::new()).await.expect("look");
        seen.as_bool().unwrap_or(false)
    }

    /// The text of the element `css`.
    pub async fn text_of(&self, css: &str) -> String {
        let script = "const e = document.querySelector(arguments[0]); return e ? e.innerText : '';";
        let text = self
            .client
            .execute(script, vec![json!(css)])
            .await
            .expect("read");
        text.as_str().unwrap_or_default().to_string()
    }

    /// Types `value` into the field named `name` in the table row that shows `row`.
    pub async fn fill_in_row(&self, row: &str, name: &str, value: &str) {
        let path = format!("//tr[td[normalize-space()='{row}']]//*[@name='{name}']");
        let field = self.client.find(Locator::XPath(&path)).await;
        let field = field.unwrap_or_else(|_| panic!("no field {name} in the row of {row}"));
        field.clear().await.expect("clear the field");
        field.send_keys(value).await.expect("type into the field");
    }

    /// Presses the button labelled `label` in the table row that shows `row`, then checks the page.
    pub async fn press_in_row(&mut self, row: &str, label: &str, step: &str) {
        let path =
            format!("//tr[td[normalize-space()='{row}']]//button[normalize-space()='{label}']");
        let button = self.client.find(Locator::XPath(&path)).await;
        let button = button.unwrap_or_else(|_| panic!("no button “{label}” in the row of {row}"));
        self.mark_page().await;
        button.click().await.expect("press the button");
        self.check(step).await;
    }

    /// Ticks the checkbox (or radio) whose label shows `text`; panics when it is disabled.
    pub async fn tick(&self, text: &str) {
        let path = format!("//label[contains(normalize-space(), '{text}')]/input");
        let found = self.client.find(Locator::XPath(&path)).await;
        let found = found.unwrap_or_else(|_| panic!("no choice “{text}”"));
        assert!(
            found.is_enabled().await.expect("read"),
            "“{text}” can be chosen"
        );
        found.click().await.expect("tick it");
    }

    /// Whether the checkbox (or radio) whose label shows `text` can be chosen.
    pub async fn can_tick(&self, text: &str) -> bool {
        let path = format!("//label[contains(normalize-space(), '{text}')]/input");
        let found = self.client.find(Locator::XPath(&path)).await;
        let found = found.unwrap_or_else(|_| panic!("no choice “{text}”"));
        found.is_enabled().await.expect("read")
    }

    /// Types `value` into the field `css` (a search box without a name).
    pub async fn type_into(&self, css: &str, value: &str) {
        let field = self.client.find(Locator::Css(css)).await;
        let field = field.unwrap_or_else(|_| panic!("no field {css}"));
        field.clear().await.expect("clear the field");
        if value.is_empty() {
            // a person empties it key by key: the page hears the change
            let field = serde_json::to_value(field).expect("the element");
            let script = "arguments[0].dispatchEvent(new Event('input'));";
            self.client
                .execute(script, vec![field])
                .await
                .expect("emptied");
            return;
        }
        field.send_keys(value).await.expect("type into the field");
    }

    /// Follows the link `link` in the table row that contains `row`, then checks the page.
    pub async fn follow_in_row(&mut self, row: &str, link: &str, step: &str) {
        let path = format!(
            "//tr[td[contains(normalize-space(), '{row}')]]//a[normalize-space()='{link}']"
        );
        let found = self.client.find(Locator::XPath(&path)).await;
        let found = found.unwrap_or_else(|_| panic!("no link “{link}” in the row of {row}"));
        self.mark_page().await;
        found.click().await.expect("follow the link");
        self.check(step).await;
    }

    /// The value of the field `css` (what a person sees typed in it).
    pub async fn value_of(&self, css: &str) -> String {
        let script = "const e = document.querySelector(arguments[0]); return e ? e.value : '';";
        let value = self.client.execute(script, vec![json!(css)]).await;
        value
            .expect("read")
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// The path (and query) of the page shown.
    pub async fn current_path(&self) -> String {
        let url = self.client.current_url().await.expect("the address");
        match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_string(),
        }
    }
}

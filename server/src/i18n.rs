//! Languages, bilingual messages and the page-label catalog (Chinese first, English switchable).

use std::collections::HashMap;

use actix_web::{HttpMessage, HttpRequest, http::header::ACCEPT_LANGUAGE};
use rust_embed::RustEmbed;
use serde::Serialize;

/// Cookie that remembers the chosen language.
pub const LANG_COOKIE: &str = "lang";

/// The two languages of ipoc.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
pub enum Lang {
    #[default]
    #[serde(rename = "zh-CN")]
    Zh,
    #[serde(rename = "en")]
    En,
}

impl Lang {
    /// What separates the items of a list in running text: "；" or "; ".
    pub fn separator(self) -> &'static str {
        match self {
            Lang::Zh => "；",
            Lang::En => "; ",
        }
    }

    /// Parses a language tag such as `zh`, `zh-CN`, `en-US`.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let tag = tag.trim().to_ascii_lowercase();
        if tag.starts_with("zh") {
            Some(Lang::Zh)
        } else if tag.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The BCP 47 tag of the language.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// The caller's language: `?lang=`, then the `lang` cookie, then `Accept-Language` (by
    /// quality), then Chinese.
    pub fn of_request(req: &HttpRequest) -> Lang {
        if let Some(lang) = req.extensions().get::<Lang>() {
            return *lang;
        }
        Self::from_query(req.query_string())
            .or_else(|| {
                req.cookie(LANG_COOKIE)
                    .and_then(|c| Lang::from_tag(c.value()))
            })
            .or_else(|| {
                req.headers()
                    .get(ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok())
                    .and_then(Self::from_accept_language)
            })
            .unwrap_or_default()
    }

    /// The language named by a `lang=` query parameter, if any.
    pub fn from_query(query: &str) -> Option<Lang> {
        query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(k, _)| *k == "lang")
            .and_then(|(_, v)| Lang::from_tag(v))
    }

    fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let Some(lang) = pieces.next().and_then(Lang::from_tag) else {
                continue;
            };
            let quality = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            if best.is_none_or(|(q, _)| quality > q) {
                best = Some((quality, lang));
            }
        }
        best.map(|(_, lang)| lang)
    }
}

/// A message in both languages; the caller's language picks one when it is written out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Msg {
    pub zh: String,
    pub en: String,
}

impl Msg {
    /// A message from its Chinese and English text.
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Msg {
        Msg {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The text in `lang`.
    pub fn text(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

#[derive(RustEmbed)]
#[folder = "../templates/locales"]
struct Locales;

/// Page labels by key, one table per language, loaded from `templates/locales/*.json`.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    zh: HashMap<String, String>,
    en: HashMap<String, String>,
}

impl Catalog {
    /// Loads the embedded label tables; a missing or malformed table is a start-up error.
    pub fn load() -> anyhow::Result<Catalog> {
        let table = |name: &str| -> anyhow::Result<HashMap<String, String>> {
            let file =
                Locales::get(name).ok_or_else(|| anyhow::anyhow!("missing locale {name}"))?;
            Ok(serde_json::from_slice(&file.data)?)
        };
        Ok(Catalog {
            zh: table("zh-CN.json")?,
            en: table("en.json")?,
        })
    }

    /// The label for `key` in `lang`, falling back to Chinese, then to the key itself.
    pub fn get<'a>(&'a self, lang: Lang, key: &'a str) -> &'a str {
        let table = match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        };
        table
            .get(key)
            .or_else(|| self.zh.get(key))
            .map(String::as_str)
            .unwrap_or(key)
    }

    /// Every key of one language (for the completeness test).
    pub fn keys(&self, lang: Lang) -> Vec<&str> {
        let table = match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        };
        table.keys().map(String::as_str).collect()
    }
}

/// A whole number with thousands separators, e.g. `1,048,576`.
pub fn thousands(n: impl Into<i128>) -> String {
    let n: i128 = n.into();
    let digits = n.unsigned_abs().to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        grouped.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    grouped
}

/// A size in bytes as people read it: `16 KiB`, `1 MiB`, `1.5 MiB`.
pub fn byte_size(bytes: usize) -> String {
    const KIB: usize = 1 << 10;
    const MIB: usize = 1 << 20;
    if bytes >= MIB {
        let tenths = bytes * 10 / MIB;
        if tenths.is_multiple_of(10) {
            format!("{} MiB", thousands(tenths as u64 / 10))
        } else {
            format!("{}.{} MiB", tenths / 10, tenths % 10)
        }
    } else if bytes >= KIB && bytes.is_multiple_of(KIB) {
        format!("{} KiB", bytes / KIB)
    } else {
        format!("{} bytes", thousands(bytes as u64))
    }
}

/// At most a few dozen characters of a value, for a message that quotes what a file holds.
pub fn quote(text: &str) -> String {
    const MAX_CHARS: usize = 40;
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(MAX_CHARS).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_by_quality() {
        assert_eq!(Lang::from_accept_language("en-US,en;q=0.9"), Some(Lang::En));
        assert_eq!(
            Lang::from_accept_language("fr, en;q=0.5, zh-CN;q=0.8"),
            Some(Lang::Zh)
        );
        assert_eq!(Lang::from_accept_language("fr"), None);
        assert_eq!(Lang::from_query("a=1&lang=en"), Some(Lang::En));
    }

    #[test]
    fn both_catalogs_have_the_same_keys() {
        let catalog = Catalog::load().unwrap();
        let mut zh = catalog.keys(Lang::Zh);
        let mut en = catalog.keys(Lang::En);
        zh.sort();
        en.sort();
        assert_eq!(zh, en);
    }
}

//! Handlebars pages and mails: embedded in the binary (read from `templates/` in debug builds),
//! strict mode, auto-escaping on.

use std::collections::HashMap;

use handlebars::{Handlebars, handlebars_helper};
use rust_embed::RustEmbed;
use serde::Serialize;

use crate::{
    error::AppError,
    i18n::{Catalog, Lang},
};

handlebars_helper!(concat: |a: str, b: str| format!("{a}{b}"));
handlebars_helper!(array: |*args| args.iter().map(|a| (*a).clone()).collect::<Vec<_>>());
handlebars_helper!(yuan: |amount: str| crate::domain::identifiers::Yuan::parse(amount).map(|y| y.format_grouped()).unwrap_or_else(|_| amount.to_string()));

#[derive(RustEmbed)]
#[folder = "../templates"]
struct TemplateFiles;

/// The registered templates and the label catalog they read.
pub struct Templates {
    registry: Handlebars<'static>,
    catalog: Catalog,
    labels_zh: HashMap<String, String>,
    labels_en: HashMap<String, String>,
}

impl Templates {
    /// Registers every `templates/**/*.hbs` under its path without extension (`auth/login`).
    pub fn load() -> anyhow::Result<Templates> {
        let mut registry = Handlebars::new();
        registry.set_strict_mode(true);
        registry.register_helper("concat", Box::new(concat));
        registry.register_helper("array", Box::new(array));
        registry.register_helper("yuan", Box::new(yuan));
        registry.register_embed_templates_with_extension::<TemplateFiles>(".hbs")?;
        let catalog = Catalog::load()?;
        let table = |lang| {
            catalog
                .keys(lang)
                .into_iter()
                .map(|k| (k.to_string(), catalog.get(lang, k).to_string()))
                .collect()
        };
        Ok(Templates {
            labels_zh: table(Lang::Zh),
            labels_en: table(Lang::En),
            registry,
            catalog,
        })
    }

    /// Renders template `name` with `data`.
    pub fn render(&self, name: &str, data: &impl Serialize) -> Result<String, AppError> {
        self.registry
            .render(name, data)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("template {name}: {e}")))
    }

    /// Every label in `lang`, for a page's `t`.
    pub fn labels(&self, lang: Lang) -> &HashMap<String, String> {
        match lang {
            Lang::Zh => &self.labels_zh,
            Lang::En => &self.labels_en,
        }
    }

    /// One label.
    pub fn label<'a>(&'a self, lang: Lang, key: &'a str) -> &'a str {
        self.catalog.get(lang, key)
    }
}

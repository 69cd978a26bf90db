//! The dashboard page's filter form and sortable column headers, each keeping the other filters
//! in its links.

use serde::Serialize;

use crate::web::page::Choice;
use crate::{
    domain::{
        dashboard::{self, DashboardQuery},
        identifiers::PROVINCES,
    },
    error::AppError,
    i18n::Lang,
    state::AppState,
};

/// A `<select>` of the filter form.
#[derive(Serialize)]
pub(super) struct Select {
    name: &'static str,
    label: String,
    options: Vec<Choice>,
}

/// A sortable column header.
#[derive(Serialize)]
pub(super) struct Header {
    label: String,
    href: String,
    arrow: &'static str,
}

/// The query string without empty values (a form's "all"), re-encoded.
pub(super) fn normalized(raw: &str, without: &[&str]) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (k, v) in form_urlencoded::parse(raw.as_bytes()) {
        if !v.trim().is_empty() && !without.contains(&k.as_ref()) {
            out.append_pair(&k, &v);
        }
    }
    out.finish()
}

pub(super) fn headers(
    query: &DashboardQuery,
    query_string: &str,
    t: &dyn Fn(&str) -> String,
) -> Vec<Header> {
    let current = serde_json::to_value(query.sort.unwrap_or_default()).unwrap_or_default();
    let descending = query.dir == Some(dashboard::table::SortDirection::Desc);
    let base = normalized(query_string, &["sort", "dir", "page", "format"]);
    [
        ("light", "dash_light"),
        ("name", "field_center_name"),
        ("level", "field_level"),
        ("province", "field_province"),
        ("industry", "field_industry"),
        ("cycle", "dash_cycle"),
        ("amount", "dash_amount"),
        ("projects", "dash_projects"),
        ("alliance", "dash_alliance"),
        ("report_status", "dash_report"),
        ("report_due", "dash_due"),
        ("last_result", "dash_last_result"),
        ("proposals", "dash_proposals"),
    ]
    .into_iter()
    .map(|(column, label)| {
        let active = current == column;
        let dir = if active && !descending { "desc" } else { "asc" };
        let sep = if base.is_empty() { "" } else { "&" };
        Header {
            label: t(label),
            href: format!("/dashboard?{base}{sep}sort={column}&dir={dir}"),
            arrow: match (active, descending) {
                (false, _) => "",
                (true, false) => "▲",
                (true, true) => "▼",
            },
        }
    })
    .collect()
}

/// The filter form's selects, each with the chosen option of `query_string` selected.
pub(super) async fn filters(
    state: &AppState,
    query_string: &str,
    lang: Lang,
    t: &dyn Fn(&str) -> String,
) -> Result<Vec<Select>, AppError> {
    let services = state.services();
    let in_force = services.rulebook.in_force_on(services.db, services.today);
    let cycle_years = in_force.await?.rules.cycle_years;
    let industries = crate::domain::centers::industries(services.db).await?;
    let industries: Vec<String> = industries.into_iter().map(|i| i.name).collect();
    let chosen: std::collections::HashMap<String, String> =
        form_urlencoded::parse(query_string.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
    let select = |name: &'static str, label: &str, options: Vec<(String, String)>| Select {
        name,
        label: t(label),
        options: options
            .into_iter()
            .map(|(value, label)| Choice {
                selected: chosen.get(name) == Some(&value),
                value,
                label,
            })
            .collect(),
    };
    let coded = |prefix: &str, codes: &[&str]| -> Vec<(String, String)> {
        codes
            .iter()
            .map(|c| (c.to_string(), t(&format!("{prefix}{c}"))))
            .collect()
    };
    let passing = || {
        vec![
            ("passed".to_string(), t("dash_passed")),
            ("failed".to_string(), t("dash_failed")),
        ]
    };
    Ok(vec![
        select(
            "light",
            "dash_light",
            coded("light_", &["red", "amber", "green", "grey"]),
        ),
        select(
            "level",
            "field_level",
            coded("level_", &["national", "provincial", "municipal"]),
        ),
        select(
            "province",
            "field_province",
            PROVINCES
                .iter()
                .map(|(code, zh, en)| {
                    (
                        code.to_string(),
                        if lang == Lang::Zh { zh } else { en }.to_string(),
                    )
                })
                .collect(),
        ),
        select(
            "industry",
            "field_industry",
            industries.into_iter().map(|i| (i.clone(), i)).collect(),
        ),
        select(
            "cycle_year",
            "dash_cycle",
            (1..=cycle_years)
                .map(|y| {
                    let label = t("dash_cycle_nth_year").replace("{year}", &y.to_string());
                    (y.to_string(), label)
                })
                .chain([("0".to_string(), t("dash_cycle_outside_years"))])
                .collect(),
        ),
        select(
            "status",
            "field_status",
            coded(
                "status_",
                &["draft", "under_notice", "accredited", "exited"],
            ),
        ),
        select("operation", "dash_amount", passing()),
        select("projects", "dash_projects", passing()),
        select("alliance", "dash_alliance", passing()),
        select(
            "report_status",
            "dash_report",
            coded(
                "report_status_",
                &[
                    "not_due",
                    "draft",
                    "submitted",
                    "returned",
                    "overdue",
                    "decided",
                ],
            ),
        ),
        select("last_result", "dash_last_result", {
            let mut o = coded(
                "result_",
                &["qualified", "basically_qualified", "unqualified"],
            );
            o.push(("none".to_string(), t("dash_none")));
            o
        }),
        select("proposal", "dash_proposals", {
            let mut o = vec![
                ("any".to_string(), t("dash_any")),
                ("none".to_string(), t("dash_none")),
            ];
            o.extend(coded("proposal_", &["exit", "withdrawal"]));
            o
        }),
    ])
}

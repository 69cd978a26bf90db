//! The centers list for reviewers, filtered, with this year's indicators and downloads.

use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, web};
use entities::centers;
use sea_orm::{EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};

use super::api::{CenterListItem, list_items};
use crate::web::page::{Choice, render, see_other};
use crate::{
    auth::CurrentUser,
    domain::{
        access,
        centers::{self as center_rules, CenterFilter},
        identifiers::PROVINCES,
        parse_enum,
        users::Role,
    },
    error::AppError,
    i18n::Lang,
    state::AppState,
};

#[derive(Deserialize)]
struct ListQuery {
    level: Option<String>,
    province: Option<String>,
    industry: Option<String>,
    status: Option<String>,
    page: Option<u64>,
    /// `xlsx` or `csv`: the whole filtered list as a file.
    format: Option<String>,
}

#[derive(Serialize)]
struct CentersPage {
    items: Vec<CenterListItem>,
    total: u64,
    page: u64,
    prev_page: Option<u64>,
    next_page: Option<u64>,
    query: String,
    levels: Vec<Choice>,
    provinces: Vec<Choice>,
    industries: Vec<Choice>,
    statuses: Vec<Choice>,
}

fn choices(
    options: impl IntoIterator<Item = (String, String)>,
    selected: Option<&str>,
) -> Vec<Choice> {
    options
        .into_iter()
        .map(|(value, label)| Choice {
            selected: Some(value.as_str()) == selected,
            value,
            label,
        })
        .collect()
}

/// The centers a reviewer reads, filtered, with this year's indicators.
#[get("/centers")]
async fn centers_list(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    if user.role == Role::Center {
        return Ok(see_other("/center"));
    }
    user.require(&[Role::Cnipa, Role::Admin, Role::LocalOffice])?;
    let lang = Lang::of_request(&req);
    let q = query.into_inner();
    let filter = CenterFilter {
        level: q.level.as_deref().and_then(parse_enum),
        province: q.province.clone(),
        industry: q.industry.clone(),
        status: q.status.clone(),
        q: None,
    };
    let mut select = centers::Entity::find()
        .filter(filter.condition())
        .order_by_asc(centers::Column::Id);
    if let Some(scope) = access::readable_filter(&user) {
        select = select.filter(scope);
    }
    match q.format.as_deref() {
        Some("xlsx") => {
            let (items, _) = list_items(&state, select, None).await?;
            return super::export::centers(crate::web::download::ExportFormat::Xlsx, &items);
        }
        Some("csv") => {
            let (items, _) = list_items(&state, select, None).await?;
            return super::export::centers(crate::web::download::ExportFormat::Csv, &items);
        }
        _ => {}
    }
    let per_page = 50;
    let page = q.page.unwrap_or(1).max(1);
    let (items, total) = list_items(&state, select, Some((page, per_page))).await?;
    let pages = total.div_ceil(per_page).max(1);
    let t = |key: &str| state.templates.label(lang, key).to_string();
    let query_string = [
        ("level", &q.level),
        ("province", &q.province),
        ("industry", &q.industry),
        ("status", &q.status),
    ]
    .iter()
    .filter_map(|(k, v)| {
        v.as_ref()
            .filter(|v| !v.is_empty())
            .map(|v| format!("{k}={v}"))
    })
    .collect::<Vec<_>>()
    .join("&");
    let data = CentersPage {
        items,
        total,
        page,
        prev_page: (page > 1).then(|| page - 1),
        next_page: (page < pages).then(|| page + 1),
        query: query_string,
        levels: choices(
            ["national", "provincial", "municipal"]
                .map(|l| (l.to_string(), t(&format!("level_{l}")))),
            q.level.as_deref(),
        ),
        provinces: choices(
            PROVINCES.iter().map(|(code, zh, en)| {
                (
                    code.to_string(),
                    if lang == Lang::Zh {
                        zh.to_string()
                    } else {
                        en.to_string()
                    },
                )
            }),
            q.province.as_deref(),
        ),
        industries: choices(
            center_rules::industries(&state.db)
                .await?
                .into_iter()
                .map(|i| (i.name.clone(), i.name)),
            q.industry.as_deref(),
        ),
        statuses: choices(
            ["draft", "under_notice", "accredited", "exited"]
                .map(|s| (s.to_string(), t(&format!("status_{s}")))),
            q.status.as_deref(),
        ),
    };
    render(
        &state,
        &req,
        Some(&user),
        "centers/list",
        "centers_title",
        StatusCode::OK,
        data,
    )
}

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(centers_list);
}

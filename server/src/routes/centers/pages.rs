//! Center pages: a center's home (progress to each threshold, alliance, latest deals, forms to add
//! records, imports and downloads) and the page that creates a center.

use std::collections::BTreeMap;

use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, post, web};
use chrono::Datelike;
use entities::centers;
use sea_orm::EntityTrait;
use serde::Serialize;

use crate::web::page::{render, see_other};
use crate::{
    auth::{CurrentUser, csrf},
    domain::{
        access,
        alliance::{self, MemberStatusFilter, MembershipView},
        centers::{self as center_rules, CenterLevel, CenterView, NewCenterInput},
        ledger::{TransactionView, records, transactions_filter},
        metrics, parse_enum,
        users::Role,
    },
    error::{AppError, FieldErrors},
    i18n::Lang,
    state::AppState,
    web::extract::FormFields,
};

/// The fields of one form on a page, with what the user typed and the errors to show beside them.
#[derive(Serialize, Default, Clone)]
pub struct FormState {
    values: BTreeMap<String, String>,
    errors: BTreeMap<String, String>,
    has_errors: bool,
}

impl FormState {
    fn empty(fields: &[&str]) -> FormState {
        FormState {
            values: fields
                .iter()
                .map(|f| (f.to_string(), String::new()))
                .collect(),
            errors: fields
                .iter()
                .map(|f| (f.to_string(), String::new()))
                .collect(),
            has_errors: false,
        }
    }

    /// The form's `fields` as the user typed them.
    pub(super) fn with_input(fields: &[&str], form: &FormFields) -> FormState {
        let mut state = FormState::empty(fields);
        for field in fields {
            state
                .values
                .insert(field.to_string(), form.get(field).to_string());
        }
        state
    }

    /// The form with `errors` beside its fields, in `lang`.
    pub(super) fn with_errors(mut self, errors: &FieldErrors, lang: Lang) -> FormState {
        for (field, messages) in errors.in_lang(lang) {
            let key = field.split(['[', '.']).next().unwrap_or(&field).to_string();
            let key = if self.errors.contains_key(&key) {
                key
            } else {
                field.rsplit('.').next().unwrap_or(&field).to_string()
            };
            let slot = self.errors.entry(key).or_default();
            if !slot.is_empty() {
                slot.push('；');
            }
            slot.push_str(&messages.join("；"));
        }
        self.has_errors = true;
        self
    }
}

pub(super) const DEAL_FIELDS: [&str; 8] = [
    "kind",
    "amount",
    "contract_date",
    "patent_numbers",
    "counterparty_uscc",
    "contract_no",
    "related_party",
    "note",
];
pub(super) const PROJECT_FIELDS: [&str; 6] = [
    "kind",
    "name",
    "start_date",
    "status",
    "patent_numbers",
    "partner_uscc",
];
pub(super) const EVENT_FIELDS: [&str; 4] = ["kind", "date", "title", "served_uscc"];
pub(super) const MEMBER_FIELDS: [&str; 5] = ["uscc", "name", "kind", "region_code", "joined_on"];

/// The forms of a center page.
#[derive(Serialize, Clone)]
pub(super) struct Forms {
    pub(super) deal: FormState,
    pub(super) project: FormState,
    pub(super) event: FormState,
    pub(super) member: FormState,
}

impl Default for Forms {
    fn default() -> Self {
        Forms {
            deal: FormState::empty(&DEAL_FIELDS),
            project: FormState::empty(&PROJECT_FIELDS),
            event: FormState::empty(&EVENT_FIELDS),
            member: FormState::empty(&MEMBER_FIELDS),
        }
    }
}

/// One bar of progress toward a threshold.
#[derive(Serialize)]
struct Progress {
    label_key: &'static str,
    value: String,
    /// The records behind the value.
    href: String,
    threshold: String,
    /// 0..=100 for the meter.
    percent: u32,
    passed: bool,
}

#[derive(Serialize)]
struct Verdict {
    rule: &'static str,
    passed: bool,
    detail: String,
}

#[derive(Serialize)]
struct CenterPage {
    center: CenterView,
    can_write: bool,
    year: i32,
    rulebook_version: i32,
    progress: Vec<Progress>,
    verdicts: Vec<Verdict>,
    members: Vec<MembershipView>,
    member_total: u64,
    deals: Vec<TransactionView>,
    deal_total: u64,
    forms: Forms,
    import_errors: Vec<String>,
    notice: Option<String>,
}

fn percent(value: f64, threshold: f64) -> u32 {
    if threshold <= 0.0 {
        100
    } else {
        ((value / threshold) * 100.0).clamp(0.0, 100.0) as u32
    }
}

pub(super) async fn center_page(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    center: centers::Model,
    forms: Forms,
    import_errors: Vec<String>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let lang = Lang::of_request(req);
    let today = state.clock.today();
    let host = entities::organizations::Entity::find_by_id(center.host_organization_id)
        .one(&state.db)
        .await?;
    let m = metrics::evaluate(
        &state.db,
        &state.rulebook,
        &state.figures,
        &center,
        host.as_ref(),
        today.year(),
        today,
    )
    .await?;
    let rules = &m.rulebook.rules;
    let f = &m.figures;
    let wan = state.templates.label(lang, "unit_wan");
    let progress = vec![
        Progress {
            label_key: "rule_annual_amount",
            href: format!(
                "/centers/{}/records?year={}&figure=operation_amount",
                center.id,
                today.year()
            ),
            value: format!("{} {wan}", f.operation_amount.format_wan()),
            threshold: format!("{} {wan}", rules.annual_amount_threshold.format_wan()),
            percent: percent(
                f.operation_amount.fen() as f64,
                rules.annual_amount_threshold.fen() as f64,
            ),
            passed: f.operation_amount >= rules.annual_amount_threshold,
        },
        Progress {
            label_key: "rule_projects",
            href: format!(
                "/centers/{}/records?year={}&figure=projects_cumulative",
                center.id,
                today.year()
            ),
            value: f.projects_cumulative.to_string(),
            threshold: rules.project_threshold.to_string(),
            percent: percent(
                f.projects_cumulative as f64,
                f64::from(rules.project_threshold),
            ),
            passed: f.projects_cumulative >= i64::from(rules.project_threshold),
        },
        Progress {
            label_key: "rule_alliance",
            href: format!(
                "/centers/{}/records?year={}&figure=alliance_counting_members",
                center.id,
                today.year()
            ),
            value: f.alliance_counting_members.to_string(),
            threshold: rules.alliance_threshold.to_string(),
            percent: percent(
                f.alliance_counting_members as f64,
                f64::from(rules.alliance_threshold),
            ),
            passed: f.alliance_counting_members >= i64::from(rules.alliance_threshold),
        },
    ];
    let verdicts = m
        .verdicts
        .iter()
        .map(|v| Verdict {
            rule: v.rule,
            passed: v.passed,
            detail: v.detail.text(lang).to_string(),
        })
        .collect();
    let members = alliance::list(&state.db, center.id, MemberStatusFilter::Active, 1, 20).await?;
    let deals = records::list_transactions(
        &state.db,
        center.id,
        &transactions_filter(None, None),
        1,
        10,
    )
    .await?;
    let can_write = user.role == Role::Center && user.center_id == Some(center.id);
    let page = CenterPage {
        center: center_rules::view(&state.db, center).await?,
        can_write,
        year: m.year,
        rulebook_version: m.rulebook.version,
        progress,
        verdicts,
        member_total: members.total,
        members: members.items,
        deal_total: deals.total,
        deals: deals.items,
        forms,
        import_errors,
        notice: None,
    };
    render(
        state,
        req,
        Some(user),
        "centers/center",
        "center_title",
        status,
        page,
    )
}

/// A center user's home: its center, or the form that creates one.
#[get("/center")]
async fn own_center(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
) -> Result<HttpResponse, AppError> {
    user.require(&[Role::Center])?;
    match user.center_id {
        Some(id) => Ok(see_other(&format!("/centers/{id}"))),
        None => {
            new_center_form(
                &state,
                &req,
                &user,
                FormState::empty(&["name", "level", "industry", "region_code", "host_uscc"]),
                StatusCode::OK,
            )
            .await
        }
    }
}

#[derive(Serialize)]
struct NewCenterPage {
    form: FormState,
    industries: Vec<String>,
    levels: Vec<&'static str>,
}

async fn new_center_form(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    form: FormState,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let industries = center_rules::industries(&state.db)
        .await?
        .into_iter()
        .map(|i| i.name)
        .collect();
    render(
        state,
        req,
        Some(user),
        "centers/new",
        "center_new_title",
        status,
        NewCenterPage {
            form,
            industries,
            levels: vec!["national", "provincial", "municipal"],
        },
    )
}

#[post("/center")]
async fn create_center(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    form: FormFields,
) -> Result<HttpResponse, AppError> {
    csrf::verify(&req, form.get(csrf::CSRF_FIELD))?;
    let fields = ["name", "level", "industry", "region_code", "host_uscc"];
    let lang = Lang::of_request(&req);
    let Some(level) = parse_enum::<CenterLevel>(form.get("level")) else {
        let errors = FieldErrors::single(
            "level",
            crate::i18n::Msg::new("请选择级别", "choose a level"),
        );
        return new_center_form(
            &state,
            &req,
            &user,
            FormState::with_input(&fields, &form).with_errors(&errors, lang),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let input = NewCenterInput {
        name: form.get("name").into(),
        level,
        industry: form.get("industry").into(),
        region_code: form.get("region_code").into(),
        host_uscc: Some(form.get("host_uscc").into()),
        host_organization_id: None,
    };
    match center_rules::create(&state.db, &user, input, state.clock.now()).await {
        Ok(center) => Ok(see_other(&format!("/centers/{}", center.id))),
        Err(AppError::Validation(errors)) => {
            new_center_form(
                &state,
                &req,
                &user,
                FormState::with_input(&fields, &form).with_errors(&errors, lang),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(other) => Err(other),
    }
}

#[get("/centers/{id}")]
async fn center_detail(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let center = access::readable_center(&state.db, &user, id.into_inner()).await?;
    center_page(
        &state,
        &req,
        &user,
        center,
        Forms::default(),
        Vec::new(),
        StatusCode::OK,
    )
    .await
}

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(own_center)
        .service(create_center)
        .service(center_detail);
}

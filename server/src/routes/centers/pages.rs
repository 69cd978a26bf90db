//! Center pages: a center's home (progress to each threshold, alliance, latest deals, forms to add
//! records, imports and downloads) and the page that creates a center.

use std::collections::BTreeMap;

use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, web};
use entities::centers;
use serde::Serialize;

use crate::web::{
    page::{render, see_other},
    page_form::Sent,
};
use crate::{
    auth::CurrentUser,
    domain::{
        access,
        alliance::MembershipView,
        centers::{self as center_rules, CenterView},
        ledger::TransactionView,
        users::Role,
        views::center_home::{self, Figure},
    },
    error::{AppError, FieldErrors},
    i18n::Lang,
    state::AppState,
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
        let blank = || {
            fields
                .iter()
                .map(|f| (f.to_string(), String::new()))
                .collect()
        };
        FormState {
            values: blank(),
            errors: blank(),
            has_errors: false,
        }
    }

    /// The form's `fields` as the user sent them, with `errors` beside them in `lang`.
    pub(super) fn refused(
        fields: &[&str],
        sent: &Sent,
        errors: &FieldErrors,
        lang: Lang,
    ) -> FormState {
        let mut state = FormState::empty(fields);
        state.values.extend(sent.values(fields.iter().copied()));
        for (field, messages) in errors.in_lang(lang) {
            let key = field.split(['[', '.']).next().unwrap_or(&field).to_string();
            let key = if state.errors.contains_key(&key) {
                key
            } else {
                field.rsplit('.').next().unwrap_or(&field).to_string()
            };
            let slot = state.errors.entry(key).or_default();
            if !slot.is_empty() {
                slot.push_str(lang.separator());
            }
            slot.push_str(&messages.join(lang.separator()));
        }
        state.has_errors = true;
        state
    }
}

/// The forms of a center's home.
#[derive(Clone, Copy)]
pub(super) enum HomeForm {
    Deal,
    Project,
    Event,
    Member,
}

impl HomeForm {
    /// The form's fields.
    pub(super) fn fields(self) -> &'static [&'static str] {
        match self {
            HomeForm::Deal => &[
                "kind",
                "amount",
                "contract_date",
                "patent_numbers",
                "counterparty_uscc",
                "contract_no",
                "related_party",
                "note",
            ],
            HomeForm::Project => &[
                "kind",
                "name",
                "start_date",
                "status",
                "patent_numbers",
                "partner_uscc",
            ],
            HomeForm::Event => &["kind", "date", "title", "served_uscc"],
            HomeForm::Member => &["uscc", "name", "kind", "region_code", "joined_on"],
        }
    }

    /// The list on the home the form adds to.
    pub(super) fn anchor(self) -> &'static str {
        match self {
            HomeForm::Deal => "deals",
            HomeForm::Project => "projects",
            HomeForm::Event => "events",
            HomeForm::Member => "members",
        }
    }
}

/// The forms of a center's home, as shown.
#[derive(Serialize, Clone)]
pub(super) struct Forms {
    deal: FormState,
    project: FormState,
    event: FormState,
    member: FormState,
}

impl Default for Forms {
    fn default() -> Self {
        Forms {
            deal: FormState::empty(HomeForm::Deal.fields()),
            project: FormState::empty(HomeForm::Project.fields()),
            event: FormState::empty(HomeForm::Event.fields()),
            member: FormState::empty(HomeForm::Member.fields()),
        }
    }
}

impl Forms {
    /// The blank forms but `form`, which shows `state`.
    pub(super) fn with(form: HomeForm, state: FormState) -> Forms {
        let mut forms = Forms::default();
        *match form {
            HomeForm::Deal => &mut forms.deal,
            HomeForm::Project => &mut forms.project,
            HomeForm::Event => &mut forms.event,
            HomeForm::Member => &mut forms.member,
        } = state;
        forms
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
    exit_notice_ends_on: Option<chrono::NaiveDate>,
    join_requests: Vec<crate::domain::alliance::JoinRequestView>,
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

/// The label of a figure on the home.
fn label_key(figure: &str) -> &'static str {
    match figure {
        "operation_amount" => "rule_annual_amount",
        "projects_cumulative" => "rule_projects",
        _ => "rule_alliance",
    }
}

/// The home of `center` with `forms` and `import_errors` shown, answered with `status`.
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
    let home = center_home::center_home(&state.services(), user, center).await?;
    let (id, year) = (home.center.id, home.metrics.year);
    let wan = state.templates.label(lang, "unit_wan");
    let shown = |figure: &Figure| match figure {
        Figure::Amount(yuan) => format!("{} {wan}", yuan.format_wan()),
        Figure::Count(n) => n.to_string(),
    };
    let progress = home.progress.iter().map(|p| Progress {
        label_key: label_key(p.figure),
        value: shown(&p.value),
        href: format!("/centers/{id}/records?year={year}&figure={}", p.figure),
        threshold: shown(&p.threshold),
        percent: p.percent,
        passed: p.passed,
    });
    let verdicts = home.metrics.verdicts.iter().map(|v| Verdict {
        rule: v.rule,
        passed: v.passed,
        detail: v.detail.text(lang).to_string(),
    });
    let page = CenterPage {
        progress: progress.collect(),
        verdicts: verdicts.collect(),
        can_write: home.can_write,
        exit_notice_ends_on: home.exit_notice_ends_on,
        join_requests: home.join_requests,
        year,
        rulebook_version: home.metrics.rulebook.version,
        member_total: home.members.total,
        members: home.members.items,
        deal_total: home.deals.total,
        deals: home.deals.items,
        center: home.center,
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
    .await
}

/// The fields of the form that creates a center.
pub(super) const NEW_CENTER_FIELDS: [&str; 5] =
    ["name", "level", "industry", "region_code", "host_uscc"];

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
            let form = FormState::empty(&NEW_CENTER_FIELDS);
            new_center_form(&state, &req, &user, form, StatusCode::OK).await
        }
    }
}

#[derive(Serialize)]
struct NewCenterPage {
    form: FormState,
    industries: Vec<String>,
    levels: Vec<&'static str>,
}

/// The form that creates a center, showing `form`, answered with `status`.
pub(super) async fn new_center_form(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    form: FormState,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let industries = center_rules::industries(&state.db).await?;
    let page = NewCenterPage {
        form,
        industries: industries.into_iter().map(|i| i.name).collect(),
        levels: vec!["national", "provincial", "municipal"],
    };
    render(
        state,
        req,
        Some(user),
        "centers/new",
        "center_new_title",
        status,
        page,
    )
    .await
}

/// A center's home.
#[get("/centers/{id}")]
async fn center_detail(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let center = access::readable_center(&state.db, &user, id.into_inner()).await?;
    let forms = Forms::default();
    center_page(
        &state,
        &req,
        &user,
        center,
        forms,
        Vec::new(),
        StatusCode::OK,
    )
    .await
}

/// The page routes [`configure`] registers, held against this file by a test.
pub const ROUTES: super::super::PageRoutes = &[("GET", "/center"), ("GET", "/centers/{id}")];

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(own_center).service(center_detail);
}

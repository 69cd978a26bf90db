//! Center pages: a center's home (progress to each threshold, alliance, latest deals, forms to add
//! records, imports and downloads), the page that creates a center, and the centers list for
//! reviewers.

use std::collections::BTreeMap;

use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, post, web};
use chrono::Datelike;
use entities::centers;
use sea_orm::{EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};

use super::{
    api_centers::{CenterListItem, list_items},
    pages::{render, see_other},
};
use crate::{
    app::AppState,
    auth::{CurrentUser, csrf},
    domain::{
        access,
        alliance::{self, MemberInput, MemberStatusFilter, MembershipView},
        centers::{self as center_rules, CenterFilter, CenterLevel, CenterView, NewCenterInput},
        identifiers::PROVINCES,
        ledger::{
            EventInput, ProjectInput, TransactionInput, TransactionView, records,
            transactions_filter,
        },
        metrics,
        organizations::{OrgKind, OrganizationInput},
        parse_enum,
        users::Role,
    },
    error::{AppError, FieldErrors},
    extract::FormFields,
    i18n::Lang,
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

    fn with_input(fields: &[&str], form: &FormFields) -> FormState {
        let mut state = FormState::empty(fields);
        for field in fields {
            state
                .values
                .insert(field.to_string(), form.get(field).to_string());
        }
        state
    }

    fn with_errors(mut self, errors: &FieldErrors, lang: Lang) -> FormState {
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

const DEAL_FIELDS: [&str; 8] = [
    "kind",
    "amount",
    "contract_date",
    "patent_numbers",
    "counterparty_uscc",
    "contract_no",
    "related_party",
    "note",
];
const PROJECT_FIELDS: [&str; 6] = [
    "kind",
    "name",
    "start_date",
    "status",
    "patent_numbers",
    "partner_uscc",
];
const EVENT_FIELDS: [&str; 4] = ["kind", "date", "title", "served_uscc"];
const MEMBER_FIELDS: [&str; 5] = ["uscc", "name", "kind", "region_code", "joined_on"];

/// The forms of a center page.
#[derive(Serialize, Clone)]
struct Forms {
    deal: FormState,
    project: FormState,
    event: FormState,
    member: FormState,
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

async fn center_page(
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

fn list_of(form: &FormFields, name: &str) -> Vec<String> {
    crate::imports::Cell::Text(form.get(name).to_string())
        .text()
        .split([';', '；', '、', ',', '，', '\n', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Which record a center page form adds.
#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum Record {
    Transactions,
    Projects,
    Events,
    Members,
}

/// Adds a deal, project, event or member from a center page form; errors re-render the page with
/// the input kept (422).
#[post("/centers/{id}/{record}")]
async fn add_record(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(i32, Record)>,
    form: FormFields,
) -> Result<HttpResponse, AppError> {
    csrf::verify(&req, form.get(csrf::CSRF_FIELD))?;
    let (id, record) = path.into_inner();
    let center = access::writable_center(&state.db, &user, id).await?;
    let (today, now, lang) = (
        state.clock.today(),
        state.clock.now(),
        Lang::of_request(&req),
    );
    let result = match record {
        Record::Transactions => match parse_enum(form.get("kind")) {
            Some(kind) => {
                let input = TransactionInput {
                    kind,
                    amount: form.get("amount").into(),
                    contract_date: form.get("contract_date").into(),
                    patent_numbers: list_of(&form, "patent_numbers"),
                    counterparty_uscc: list_of(&form, "counterparty_uscc"),
                    contract_no: Some(form.get("contract_no").into()),
                    related_party: form.get("related_party") == "true",
                    note: Some(form.get("note").into()),
                };
                records::create_transaction(&state.db, center.id, user.id, input, today, now)
                    .await
                    .map(|_| "deals")
            }
            None => Err(AppError::field(
                "kind",
                crate::i18n::Msg::new("请选择交易类型", "choose the kind of deal"),
            )),
        },
        Record::Projects => match (parse_enum(form.get("kind")), parse_enum(form.get("status"))) {
            (Some(kind), Some(status)) => {
                let input = ProjectInput {
                    kind,
                    name: form.get("name").into(),
                    start_date: form.get("start_date").into(),
                    status,
                    patent_numbers: list_of(&form, "patent_numbers"),
                    partner_uscc: list_of(&form, "partner_uscc"),
                };
                records::create_project(&state.db, center.id, user.id, input, today, now)
                    .await
                    .map(|_| "projects")
            }
            _ => Err(AppError::field(
                "kind",
                crate::i18n::Msg::new(
                    "请选择项目类型与状态",
                    "choose the project's kind and status",
                ),
            )),
        },
        Record::Events => match parse_enum(form.get("kind")) {
            Some(kind) => {
                let input = EventInput {
                    kind,
                    date: form.get("date").into(),
                    title: form.get("title").into(),
                    served_uscc: list_of(&form, "served_uscc"),
                };
                records::create_event(&state.db, center.id, user.id, input, today, now)
                    .await
                    .map(|_| "events")
            }
            None => Err(AppError::field(
                "kind",
                crate::i18n::Msg::new("请选择活动类型", "choose the kind of event"),
            )),
        },
        Record::Members => {
            let joined_on =
                Some(form.get("joined_on").to_string()).filter(|d| !d.trim().is_empty());
            let input = match parse_enum::<OrgKind>(form.get("kind")) {
                Some(kind) if !form.get("name").trim().is_empty() => MemberInput {
                    uscc: None,
                    organization: Some(OrganizationInput {
                        uscc: form.get("uscc").into(),
                        name: form.get("name").into(),
                        kind,
                        region_code: form.get("region_code").into(),
                        flags: Vec::new(),
                        uscc_check_override_reason: None,
                    }),
                    joined_on,
                },
                _ => MemberInput {
                    uscc: Some(form.get("uscc").into()),
                    organization: None,
                    joined_on,
                },
            };
            alliance::add_member(&state.db, center.id, user.id, input, today, now)
                .await
                .map(|_| "members")
        }
    };
    match result {
        Ok(anchor) => Ok(see_other(&format!("/centers/{}#{anchor}", center.id))),
        Err(err @ (AppError::Validation(_) | AppError::Conflict(_))) => {
            let errors = match err {
                AppError::Validation(errors) => errors,
                other => FieldErrors::single(
                    match record {
                        Record::Members => "uscc",
                        _ => "kind",
                    },
                    other.message(),
                ),
            };
            let mut forms = Forms::default();
            let slot = match record {
                Record::Transactions => (&mut forms.deal, &DEAL_FIELDS[..]),
                Record::Projects => (&mut forms.project, &PROJECT_FIELDS[..]),
                Record::Events => (&mut forms.event, &EVENT_FIELDS[..]),
                Record::Members => (&mut forms.member, &MEMBER_FIELDS[..]),
            };
            *slot.0 = FormState::with_input(slot.1, &form).with_errors(&errors, lang);
            center_page(
                &state,
                &req,
                &user,
                center,
                forms,
                Vec::new(),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(other) => Err(other),
    }
}

/// Imports a deals or members file from the center page; a rejected file lists every bad row.
#[post("/centers/{id}/imports/{kind}")]
async fn import_file(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(i32, String)>,
    multipart: actix_multipart::Multipart,
) -> Result<HttpResponse, AppError> {
    let (id, kind) = path.into_inner();
    let (name, bytes, fields) = super::api_imports::read_form(multipart).await?;
    csrf::verify(
        &req,
        fields
            .get(csrf::CSRF_FIELD)
            .map(String::as_str)
            .unwrap_or(""),
    )?;
    let center = access::writable_center(&state.db, &user, id).await?;
    let (today, now) = (state.clock.today(), state.clock.now());
    let result = match kind.as_str() {
        "transactions" => {
            crate::imports::import_transactions(
                &state.db, center.id, user.id, name, bytes, today, now,
            )
            .await
        }
        "members" => {
            crate::imports::import_members(&state.db, center.id, user.id, name, bytes, today, now)
                .await
        }
        _ => return Err(AppError::NotFound),
    };
    match result {
        Ok(_) => Ok(see_other(&format!("/centers/{}#{kind}", center.id))),
        Err(AppError::ImportRejected(rows)) => {
            let lang = Lang::of_request(&req);
            let lines = rows
                .iter()
                .map(|r| {
                    format!(
                        "{} {}，{}：{}",
                        state.templates.label(lang, "import_row"),
                        r.row,
                        r.column,
                        r.message.text(lang)
                    )
                })
                .collect();
            center_page(
                &state,
                &req,
                &user,
                center,
                Forms::default(),
                lines,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(other) => Err(other),
    }
}

/// The import templates: the headers and one example row.
#[get("/import-templates/{kind}")]
async fn import_template(kind: web::Path<String>) -> Result<HttpResponse, AppError> {
    use super::export::{Cell, ExportFormat, Table, download};
    let table = match kind.as_str() {
        "transactions.xlsx" => Table {
            name: "transactions-template",
            headers: super::export::TRANSACTION_HEADERS.to_vec(),
            rows: vec![vec![
                "许可".into(),
                Cell::Number(1_234_567.89),
                "2025-06-30".into(),
                "201710601862.3；201810123456.1".into(),
                "91110000600037341L".into(),
                "HT-2025-001".into(),
                "否".into(),
                "示例行，导入前请删除".into(),
            ]],
        },
        "members.xlsx" => Table {
            name: "members-template",
            headers: super::export::MEMBER_HEADERS[..6].to_vec(),
            rows: vec![vec![
                "91110000600037341L".into(),
                "示例科技有限公司".into(),
                "企业".into(),
                "320505".into(),
                "科技型中小企业；高新技术企业".into(),
                "2025-01-01".into(),
            ]],
        },
        _ => return Err(AppError::NotFound),
    };
    download(ExportFormat::Xlsx, table)
}

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
struct Choice {
    value: String,
    label: String,
    selected: bool,
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
            return super::export::centers(super::export::ExportFormat::Xlsx, &items);
        }
        Some("csv") => {
            let (items, _) = list_items(&state, select, None).await?;
            return super::export::centers(super::export::ExportFormat::Csv, &items);
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
    cfg.service(own_center)
        .service(create_center)
        .service(centers_list)
        .service(import_template)
        .service(center_detail)
        .service(import_file)
        .service(add_record);
}

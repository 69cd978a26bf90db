//! The forms of a center's home that add records and import files, and the import templates.

use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, post, web};
use serde::Deserialize;

use super::pages::*;
use crate::web::page::see_other;
use crate::{
    auth::{CurrentUser, csrf},
    domain::{
        access,
        alliance::{self, MemberInput},
        ledger::{EventInput, ProjectInput, TransactionInput, records},
        organizations::{OrgKind, OrganizationInput},
        parse_enum,
    },
    error::{AppError, FieldErrors},
    i18n::Lang,
    state::AppState,
    web::extract::FormFields,
};

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
                crate::db::write(&state.db, async |txn| {
                    records::create::<records::Deal>(txn, center.id, user.id, input, today, now)
                        .await
                })
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
                crate::db::write(&state.db, async |txn| {
                    records::create::<records::Project>(txn, center.id, user.id, input, today, now)
                        .await
                })
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
                crate::db::write(&state.db, async |txn| {
                    records::create::<records::Event>(txn, center.id, user.id, input, today, now)
                        .await
                })
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
    let limits = state.settings.import;
    let (name, bytes, fields) =
        crate::web::upload::read_form(multipart, limits.upload_bytes).await?;
    csrf::verify(
        &req,
        fields
            .get(csrf::CSRF_FIELD)
            .map(String::as_str)
            .unwrap_or(""),
    )?;
    let center = access::writable_center(&state.db, &user, id).await?;
    let (today, now) = (state.clock.today(), state.clock.now());
    let upload = crate::imports::Upload {
        file_name: name,
        bytes,
        limits,
    };
    let result = match kind.as_str() {
        "transactions" => {
            crate::imports::import_transactions(&state.db, center.id, user.id, upload, today, now)
                .await
        }
        "members" => {
            crate::imports::import_members(&state.db, center.id, user.id, upload, today, now).await
        }
        _ => return Err(AppError::NotFound),
    };
    match result {
        Ok(_) => Ok(see_other(&format!("/centers/{}#{kind}", center.id))),
        Err(AppError::ImportRejected(rows)) => {
            let lang = Lang::of_request(&req);
            let mut lines: Vec<String> = rows
                .shown
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
            if rows.total > rows.shown.len() {
                lines.push(
                    AppError::ImportRejected(rows)
                        .message()
                        .text(lang)
                        .to_string(),
                );
            }
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
    use crate::web::download::{Cell, ExportFormat, Table, download};
    let table = match kind.as_str() {
        "transactions.xlsx" => Table {
            name: "transactions-template",
            headers: crate::imports::TRANSACTION_HEADERS.to_vec(),
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
            headers: crate::imports::MEMBER_HEADERS[..6].to_vec(),
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

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(import_template)
        .service(import_file)
        .service(add_record);
}

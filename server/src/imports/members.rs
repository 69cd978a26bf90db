//! Importing alliance members: registered organizations by code, new ones by their fields.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::DatabaseConnection;

use super::{
    ImportReport, ImportedFile, Upload,
    cells::{Cell, date_text, map_headers, split_list},
    record_import,
    sheet::read_sheet,
};
use crate::{
    domain::{
        alliance,
        identifiers::Uscc,
        ledger::ledger_date,
        organizations::{self, NewOrganization, OrgFlag, OrgKind, OrganizationInput},
    },
    error::{AppError, FieldErrors, RowError, RowErrors},
    i18n::{Msg, quote},
};

/// Columns of a members file: API name and the Chinese labels accepted for it.
pub const FIELDS: [(&str, &[&str]); 6] = [
    ("uscc", &["统一社会信用代码"]),
    ("name", &["机构名称"]),
    ("kind", &["机构类型"]),
    ("region_code", &["行政区划代码"]),
    ("flags", &["机构标识"]),
    ("joined_on", &["加入日期"]),
];

/// Columns an exported members file carries for reading only.
const READ_ONLY: [&str; 4] = ["退出日期", "状态", "left_on", "status"];

fn kind_of(text: &str) -> Option<OrgKind> {
    OrgKind::ALL
        .into_iter()
        .find(|k| k.as_str() == text || super::kind_chinese(k.as_str()) == text)
}

fn flag_of(text: &str) -> Option<OrgFlag> {
    OrgFlag::ALL
        .into_iter()
        .find(|f| f.as_str() == text || super::flag_chinese(f.as_str()) == text)
}

/// One valid row: the organization (registered or to register) and its joining date.
enum Row {
    Existing(i32, NaiveDate),
    New(NewOrganization, NaiveDate),
}

/// Imports a members file for `center_id`: all rows or none; each organization may appear once and
/// must not already be an active member.
#[tracing::instrument(skip_all, fields(center = center_id))]
pub async fn import_members(
    db: &DatabaseConnection,
    center_id: i32,
    actor_user_id: i32,
    upload: Upload,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<ImportReport, AppError> {
    let Upload {
        file_name,
        bytes,
        limits,
    } = upload;
    let (file_name, sha256, sheet) = tokio::task::spawn_blocking(move || {
        let sheet = read_sheet(&file_name, &bytes, &limits)?;
        Ok::<_, AppError>((file_name, super::checksum(&bytes), sheet))
    })
    .await
    .map_err(|e| AppError::Internal(e.into()))??;
    let mapping = map_headers(&sheet, &FIELDS, &["uscc"], &READ_ONLY)?;
    let column_of = |field: &str| mapping.iter().position(|m| *m == Some(field));
    let header_of = |field: &str| {
        column_of(field)
            .and_then(|i| sheet.headers.get(i))
            .cloned()
            .unwrap_or_else(|| field.to_string())
    };
    let active: HashSet<i32> = alliance::active_organization_ids(db, center_id).await?;
    let mut seen = HashSet::new();
    let mut rows = Vec::new();
    let mut errors = RowErrors::with_cap(limits.errors_shown);
    for (index, row) in sheet.rows.iter().enumerate() {
        let row_number = index + 2;
        let cell = |field: &str| {
            column_of(field)
                .and_then(|i| row.get(i))
                .cloned()
                .unwrap_or(Cell::Empty)
        };
        let mut bad = |field: &str, message: Msg| {
            errors.push(RowError {
                row: row_number,
                column: header_of(field),
                message,
            })
        };
        let mut field_errors = FieldErrors::default();
        let joined_on = match cell("joined_on") {
            Cell::Empty => Some(today),
            c => ledger_date("joined_on", &date_text(&c), today, &mut field_errors),
        };
        let code = match Uscc::parse(&cell("uscc").text()) {
            Ok(code) => code,
            Err(e) => {
                bad("uscc", e.message());
                continue;
            }
        };
        if !seen.insert(code.clone()) {
            bad(
                "uscc",
                Msg::new(
                    format!("{code} 在文件中重复出现"),
                    format!("{code} appears more than once in the file"),
                ),
            );
            continue;
        }
        let parsed = match organizations::find_by_uscc(db, &code).await? {
            Some(org) if active.contains(&org.id) => {
                bad(
                    "uscc",
                    Msg::new(
                        format!("{code} 已是本联盟在册成员"),
                        format!("{code} already has an active membership"),
                    ),
                );
                None
            }
            Some(org) => joined_on.map(|d| Row::Existing(org.id, d)),
            None => {
                let kind_text = quote(&cell("kind").text());
                let kind = kind_of(&kind_text);
                if kind.is_none() {
                    bad(
                        "kind",
                        Msg::new(
                            format!("新机构须填写机构类型（“{kind_text}”无法识别）"),
                            format!("a new organization needs its kind ('{kind_text}' is not one)"),
                        ),
                    );
                }
                let mut flags = Vec::new();
                for text in split_list(&cell("flags")) {
                    let text = quote(&text);
                    match flag_of(&text) {
                        Some(flag) => flags.push(flag),
                        None => bad(
                            "flags",
                            Msg::new(
                                format!("机构标识“{text}”无法识别"),
                                format!("flag '{text}' is not recognised"),
                            ),
                        ),
                    }
                }
                let input = kind.map(|kind| OrganizationInput {
                    uscc: code.to_string(),
                    name: cell("name").text(),
                    kind,
                    region_code: cell("region_code").text(),
                    flags,
                    uscc_check_override_reason: None,
                });
                match (
                    input.and_then(|i| i.validate("", false, &mut field_errors)),
                    joined_on,
                ) {
                    (Some(org), Some(d)) => Some(Row::New(org, d)),
                    _ => None,
                }
            }
        };
        for (field, messages) in field_errors.0 {
            for message in messages {
                bad(&field, message);
            }
        }
        if let Some(parsed) = parsed {
            rows.push(parsed);
        }
    }
    errors.into_result(())?;
    crate::db::write(db, async |txn| {
        let report = record_import(
            txn,
            center_id,
            ImportedFile {
                kind: "members",
                file_name: &file_name,
                sha256: sha256.clone(),
                rows: rows.len(),
            },
            actor_user_id,
            now,
        )
        .await?;
        for row in rows {
            let (org_id, joined_on) = match row {
                Row::Existing(id, d) => (id, d),
                Row::New(org, d) => (organizations::insert(txn, org, now).await?.id, d),
            };
            alliance::insert_membership(
                txn,
                center_id,
                org_id,
                joined_on.into(),
                actor_user_id,
                Some(report.import_id),
                now,
            )
            .await?;
        }
        Ok(report)
    })
    .await
}

//! Importing deals: every row validated as the API validates one deal, then all written at once.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use entities::transactions;
use sea_orm::DatabaseConnection;

use super::{
    ImportReport, ImportedFile, Upload,
    cells::{Cell, Sheet, date_text, map_headers, split_list},
    quote, record_import,
    sheet::read_sheet,
};
use crate::{
    domain::{
        identifiers::Yuan,
        ledger::{TransactionInput, TransactionKind, ValidTransaction, records},
    },
    error::{AppError, FieldErrors, RowError, RowErrors},
    i18n::Msg,
};

/// Columns of a deals file: API name and the Chinese labels accepted for it.
pub const FIELDS: [(&str, &[&str]); 8] = [
    ("kind", &["类型"]),
    ("amount", &["金额(元)", "金额（元）", "金额"]),
    ("contract_date", &["合同日期"]),
    ("patent_numbers", &["专利号"]),
    (
        "counterparty_uscc",
        &["交易对方统一社会信用代码", "交易对方"],
    ),
    ("contract_no", &["合同编号"]),
    ("related_party", &["是否关联交易"]),
    ("note", &["备注"]),
];

/// An amount cell as exact yuan text: a number cell must have at most two decimals.
fn amount_text(cell: &Cell) -> Result<String, Msg> {
    match cell {
        Cell::Number(n) => {
            let hundredths = n * 100.0;
            let fen = hundredths.round();
            if (hundredths - fen).abs() > 1e-6 * hundredths.abs().max(1.0) {
                return Err(Msg::new(
                    format!("金额 {n} 超过两位小数"),
                    format!("amount {n} has more than two decimals"),
                ));
            }
            if fen < 0.0 {
                return Err(Msg::new("金额不能为负", "the amount may not be negative"));
            }
            Ok(Yuan::from_fen(fen as i64)
                .map(|y| y.to_string())
                .unwrap_or_default())
        }
        other => Ok(other.text().replace([',', '，'], "")),
    }
}

fn yes_no(cell: &Cell) -> Result<bool, Msg> {
    match cell {
        Cell::Bool(b) => Ok(*b),
        Cell::Empty => Ok(false),
        Cell::Number(n) => Ok(*n != 0.0),
        other => match other.text().to_lowercase().as_str() {
            "" | "否" | "false" | "no" | "n" | "0" => Ok(false),
            "是" | "true" | "yes" | "y" | "1" => Ok(true),
            text => {
                let text = quote(text);
                Err(Msg::new(
                    format!("“{text}”应为“是”或“否”"),
                    format!("'{text}' should be 是 (yes) or 否 (no)"),
                ))
            }
        },
    }
}

/// Validates every row; returns the deals, or every bad row and column.
/// Rows are consumed as they are read, so the sheet shrinks while the deals grow.
fn validate_rows(
    sheet: Sheet,
    mapping: &[Option<&'static str>],
    (today, live): (NaiveDate, &HashMap<String, transactions::Model>),
    errors_shown: usize,
) -> Result<Vec<ValidTransaction>, AppError> {
    let column_of = |field: &str| mapping.iter().position(|m| *m == Some(field));
    let headers = sheet.headers;
    let header_of = |field: &str| {
        column_of(field)
            .and_then(|i| headers.get(i))
            .cloned()
            .unwrap_or_else(|| field.to_string())
    };
    let mut deals = Vec::with_capacity(sheet.rows.len());
    let mut errors = RowErrors::with_cap(errors_shown);
    // each contract number's first row in the file
    let mut contracts: HashMap<String, usize> = HashMap::new();
    for (index, row) in sheet.rows.into_iter().enumerate() {
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
        let number = cell("contract_no").text();
        if let Some(key) = transactions::contract_key(&number) {
            if let Some(first) = contracts.get(&key) {
                bad("contract_no", same_contract(&number, *first));
            } else if let Some(other) = live.get(&key) {
                bad(
                    "contract_no",
                    records::contract_used(&quote(&number), other),
                );
            }
            contracts.entry(key).or_insert(row_number);
        }
        let kind_text = quote(&cell("kind").text());
        let kind = TransactionKind::parse_any(&kind_text);
        if kind.is_none() {
            bad(
                "kind",
                Msg::new(
                    format!("类型“{kind_text}”应为 转让、许可、作价入股 或 投融资"),
                    format!(
                        "kind '{kind_text}' must be transfer, license, capital_contribution or financing (转让/许可/作价入股/投融资)"
                    ),
                ),
            );
        }
        let amount = amount_text(&cell("amount"))
            .map_err(|m| bad("amount", m))
            .ok();
        let related_party = yes_no(&cell("related_party"))
            .map_err(|m| bad("related_party", m))
            .ok();
        // the row's other cells are checked too, whatever is wrong with these: every error at once
        let cells_read = kind.is_some() && amount.is_some() && related_party.is_some();
        let input = TransactionInput {
            kind: kind.unwrap_or(TransactionKind::Transfer),
            amount: amount.unwrap_or_else(|| "1".into()),
            related_party: related_party.unwrap_or(false),
            contract_date: date_text(&cell("contract_date")),
            patent_numbers: split_list(&cell("patent_numbers")),
            counterparty_uscc: split_list(&cell("counterparty_uscc")),
            contract_no: Some(cell("contract_no").text()),
            note: Some(cell("note").text()),
        };
        let mut field_errors = FieldErrors::default();
        match records::validate_transaction(&input, today, &mut field_errors) {
            Some(deal) if field_errors.is_empty() && cells_read => deals.push(deal),
            Some(_) if field_errors.is_empty() => {}
            _ => {
                for (field, messages) in field_errors.0 {
                    let base = field.split('[').next().unwrap_or(&field).to_string();
                    for message in messages {
                        bad(&base, message);
                    }
                }
            }
        }
    }
    errors.into_result(deals)
}

/// A contract number that an earlier row of the same file uses.
fn same_contract(number: &str, first_row: usize) -> Msg {
    let number = quote(number);
    Msg::new(
        format!("合同编号“{number}”与第 {first_row} 行相同，同一合同只能登记一次"),
        format!(
            "contract number '{number}' is the same as row {first_row}'s; one contract is recorded once"
        ),
    )
}

/// Imports a deals file for `center_id`: all rows or none, one transaction, one audited import;
/// a file already imported whose deals are not all deleted is refused (409) with its date.
#[tracing::instrument(skip_all, fields(center = center_id))]
pub async fn import_transactions(
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
    let (bytes, sha256) = tokio::task::spawn_blocking(move || {
        let sha256 = super::checksum(&bytes);
        (bytes, sha256)
    })
    .await
    .map_err(|e| AppError::Internal(e.into()))?;
    super::once::refuse_imported_again(db, center_id, "transactions", &sha256).await?;
    let live = records::live_contracts(db, center_id).await?;
    let (file_name, sha256, deals) = tokio::task::spawn_blocking(move || {
        let sheet = read_sheet(&file_name, &bytes, &limits)?;
        drop(bytes);
        let mapping = map_headers(
            &sheet,
            &FIELDS,
            &["kind", "amount", "contract_date", "counterparty_uscc"],
            &[],
        )?;
        let deals = validate_rows(sheet, &mapping, (today, &live), limits.errors_shown)?;
        Ok::<_, AppError>((file_name, sha256, deals))
    })
    .await
    .map_err(|e| AppError::Internal(e.into()))??;
    crate::db::write(db, async |txn| {
        let report = record_import(
            txn,
            center_id,
            ImportedFile {
                kind: "transactions",
                file_name: &file_name,
                sha256: sha256.clone(),
                rows: deals.len(),
            },
            actor_user_id,
            now,
        )
        .await?;
        records::insert_transactions(txn, center_id, actor_user_id, report.import_id, &deals, now)
            .await?;
        Ok(report)
    })
    .await
}

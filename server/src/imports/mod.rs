//! Spreadsheet imports: .xlsx (calamine) or .csv files read into typed cells, headers matched by
//! API name or Chinese label, every row validated before anything is written, and a good file
//! written in one transaction as one audited import.

mod bounds;
mod cells;
mod guard;
pub mod inventory;
mod members;
mod once;
pub mod patents;
mod sheet;
mod transactions;

pub use crate::i18n::quote;
pub use cells::{Cell, Sheet};
pub use members::import_members;
pub use sheet::read_sheet;
pub use transactions::import_transactions;

use chrono::{DateTime, Utc};
use entities::imports;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::{domain::audit::AuditEntry, error::AppError};

/// Headers of a deals file (export and import alike).
pub const TRANSACTION_HEADERS: [&str; 8] = [
    "类型",
    "金额(元)",
    "合同日期",
    "专利号",
    "交易对方统一社会信用代码",
    "合同编号",
    "是否关联交易",
    "备注",
];

/// Headers of a members file (the import reads the first six; the last two are for reading).
pub const MEMBER_HEADERS: [&str; 8] = [
    "统一社会信用代码",
    "机构名称",
    "机构类型",
    "行政区划代码",
    "机构标识",
    "加入日期",
    "退出日期",
    "状态",
];

/// The Chinese name of an organization kind (as member files write it).
pub fn kind_chinese(kind: &str) -> &'static str {
    match kind {
        "enterprise" => "企业",
        "university" => "高校",
        "research_institute" => "科研院所",
        "hospital" => "医院",
        "industrial_park" => "产业园区",
        "industry_association" => "行业协会",
        "service_agency" => "服务机构",
        "financial_institution" => "金融机构",
        _ => "其他",
    }
}

/// The Chinese name of an organization flag (as member files write it).
pub fn flag_chinese(flag: &str) -> &'static str {
    match flag {
        "leading" => "龙头企业",
        "tech_sme" => "科技型中小企业",
        "high_tech" => "高新技术企业",
        "specialized" => "专精特新",
        "state_owned" => "国有",
        _ => "国家级",
    }
}

/// An uploaded file to import, and the limits it is read within.
pub struct Upload {
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub limits: crate::settings::ImportLimits,
}

/// An accepted file: what it holds, its name and checksum, and how many rows it wrote.
pub struct ImportedFile<'a> {
    pub kind: &'a str,
    pub file_name: &'a str,
    pub sha256: String,
    pub rows: usize,
}

/// The SHA-256 of a file, in hex (taken before its bytes are let go).
pub fn checksum(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// What an accepted import wrote.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportReport {
    pub import_id: i32,
    pub kind: String,
    pub file_name: String,
    pub rows: usize,
    pub sha256: String,
}

/// Records the import itself (file name, row count, checksum) and its audit row, inside the
/// transaction that writes its rows; returns its id.
pub async fn record_import(
    db: &impl ConnectionTrait,
    center_id: i32,
    file: ImportedFile<'_>,
    actor_user_id: i32,
    now: DateTime<Utc>,
) -> Result<ImportReport, AppError> {
    let ImportedFile {
        kind,
        file_name,
        sha256,
        rows,
    } = file;
    let import = imports::ActiveModel {
        center_id: Set(center_id),
        kind: Set(kind.to_string()),
        file_name: Set(file_name.to_string()),
        row_count: Set(i32::try_from(rows).unwrap_or(i32::MAX)),
        sha256: Set(sha256.clone()),
        created_by: Set(Some(actor_user_id)),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let report = ImportReport {
        import_id: import.id,
        kind: kind.to_string(),
        file_name: file_name.to_string(),
        rows,
        sha256,
    };
    AuditEntry::new(
        Some(actor_user_id),
        &format!("import.{kind}"),
        "import",
        import.id,
    )
    .after(&report)
    .write(db, now)
    .await?;
    Ok(report)
}

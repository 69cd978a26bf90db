//! What an account may be attached to: a local office's region, a member's organization, a center's staff.

use super::Role;
use entities::centers;
use sea_orm::{ConnectionTrait, EntityTrait};

use crate::domain::{
    identifiers::RegionCode,
    organizations::{self},
};
use crate::{
    error::{AppError, FieldErrors},
    i18n::Msg,
};

/// Checks a local office's jurisdiction: `XX0000` or `XXYY00`.
pub(super) fn check_jurisdiction(
    role: Role,
    region: Option<&str>,
    errors: &mut FieldErrors,
) -> Option<String> {
    let region = region.map(str::trim).filter(|r| !r.is_empty());
    match (role, region) {
        (Role::LocalOffice, None) => {
            errors.add(
                "region_code",
                Msg::new(
                    "地方知识产权局用户须填写辖区行政区划代码",
                    "a local_office user needs the region_code of its jurisdiction",
                ),
            );
            None
        }
        (Role::LocalOffice, Some(raw)) => match RegionCode::parse(raw) {
            Ok(code) if code.is_province() || code.is_city() => Some(code.to_string()),
            Ok(_) => {
                errors.add(
                    "region_code",
                    Msg::new(
                        "辖区应为省级（XX0000）或市级（XXYY00）代码",
                        "a jurisdiction is a province (XX0000) or a city (XXYY00)",
                    ),
                );
                None
            }
            Err(e) => {
                errors.add("region_code", e.0);
                None
            }
        },
        (_, Some(raw)) => RegionCode::parse(raw)
            .map(|c| c.to_string())
            .map_err(|e| errors.add("region_code", e.0))
            .ok(),
        (_, None) => None,
    }
}

pub(super) async fn check_references(
    db: &impl ConnectionTrait,
    organization_id: Option<i32>,
    center_id: Option<i32>,
    errors: &mut FieldErrors,
) -> Result<(), AppError> {
    if let Some(id) = organization_id
        && organizations::find_by_id(db, id).await?.is_none()
    {
        errors.add(
            "organization_id",
            Msg::new(
                format!("机构 {id} 不存在"),
                format!("organization {id} does not exist"),
            ),
        );
    }
    if let Some(id) = center_id
        && centers::Entity::find_by_id(id).one(db).await?.is_none()
    {
        errors.add(
            "center_id",
            Msg::new(
                format!("运营中心 {id} 不存在"),
                format!("center {id} does not exist"),
            ),
        );
    }
    Ok(())
}

/// The organization a person typed on a form: its USCC (optionally followed by its name, as the
/// search offers it) or its exact name; empty is none. Unknown or ambiguous is a field error.
pub async fn organization_named(
    db: &impl ConnectionTrait,
    typed: &str,
) -> Result<Option<i32>, AppError> {
    use sea_orm::{ColumnTrait, QueryFilter, QuerySelect};
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(None);
    }
    let first = typed.split_whitespace().next().unwrap_or_default();
    let found = match crate::domain::identifiers::Uscc::parse(first) {
        Ok(code) => organizations::find_by_uscc(db, &code)
            .await?
            .into_iter()
            .collect(),
        Err(_) => {
            entities::organizations::Entity::find()
                .filter(entities::organizations::Column::Name.eq(typed))
                .limit(2)
                .all(db)
                .await?
        }
    };
    match found.as_slice() {
        [one] => Ok(Some(one.id)),
        [] => Err(AppError::field(
            "organization",
            Msg::new(
                "未找到该机构，请从搜索结果中选择",
                "no such organization: choose one from the search",
            ),
        )),
        _ => Err(AppError::field(
            "organization",
            Msg::new(
                "有多个同名机构，请填写统一社会信用代码",
                "several organizations have this name: give its USCC",
            ),
        )),
    }
}

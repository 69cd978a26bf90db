//! An inventory checked before anything is written: each row against the listing rules (the
//! same checks as one listing), its owner (the caller's organization, or one of its center's
//! alliance), the file's other rows, and the library — a number the owner already lists is an
//! update (its changed fields named), one another organization lists is refused.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use entities::{organizations, patent_listings as listings};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IdenStatic, Iterable, ModelTrait,
    QueryFilter,
};

use super::super::{
    input::{Checked, ListingInput},
    listings::OWNER_KINDS,
    rows::{fill, managed_owners},
};
use crate::{
    auth::CurrentUser,
    domain::{centers::industries, identifiers::Uscc, users::Role},
    error::{AppError, FieldErrors, RowError, RowErrors},
    i18n::Msg,
};

/// A row of the file as the caller sent it.
pub struct Asked {
    pub row: usize,
    pub input: ListingInput,
}

/// A row to write: a new listing of `owner`, or an update of a listed one.
pub struct Planned {
    pub row: usize,
    pub owner: i32,
    pub values: Checked,
    /// The listed row this one corrects, and the fields that change (none: unchanged).
    pub update: Option<(listings::Model, Vec<String>)>,
}

/// The columns an inventory may change, as the API names them.
fn field_name(column: &str) -> &str {
    match column {
        "abstract_text" => "abstract",
        "asking_price_fen" => "asking_price",
        "contact_name" | "contact_phone" | "contact_email" => "contact",
        other => other,
    }
}

/// The fields of `row` that `values` change.
fn changed_fields(row: &listings::Model, values: &Checked) -> Vec<String> {
    let open = row.offered_modes.contains("\"open_license\"");
    let mut next: listings::ActiveModel = row.clone().into();
    fill(&mut next, values.clone(), open);
    let mut fields: Vec<String> = Vec::new();
    for column in listings::Column::iter() {
        if let sea_orm::ActiveValue::Set(value) = next.get(column)
            && value != row.get(column)
        {
            let name = field_name(column.as_str()).to_string();
            if !fields.contains(&name) {
                fields.push(name);
            }
        }
    }
    fields
}

/// The column of an error's field (`ipc[1]` → `ipc`, `contact.name` → `contact_name`).
fn column_of(field: &str) -> String {
    let base = field.split('[').next().unwrap_or(field);
    base.replace('.', "_")
}

/// What the rows are checked against, read from the database first.
struct Context {
    user: CurrentUser,
    names: Vec<String>,
    managed: HashSet<i32>,
    owners: HashMap<String, organizations::Model>,
    existing: HashMap<String, listings::Model>,
    today: NaiveDate,
}

/// Every row checked (every bad cell at once, at most `cap` shown, under the file's `headers`)
/// into the rows to write; the checks run off the async workers (a large file takes a while).
pub async fn plan(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    asked: Vec<Asked>,
    (today, cap): (NaiveDate, usize),
    headers: HashMap<String, String>,
) -> Result<Vec<Planned>, AppError> {
    let context = Context {
        user: user.clone(),
        names: industries(db).await?.into_iter().map(|i| i.name).collect(),
        managed: managed_owners(db, user).await?,
        owners: owners_named(db, &asked).await?,
        existing: listed(db, &asked).await?,
        today,
    };
    tokio::task::spawn_blocking(move || check_rows(&context, asked, (cap, &headers)))
        .await
        .map_err(|e| AppError::Internal(e.into()))?
}

/// The rows checked against `context`.
fn check_rows(
    context: &Context,
    asked: Vec<Asked>,
    (cap, headers): (usize, &HashMap<String, String>),
) -> Result<Vec<Planned>, AppError> {
    let Context {
        user,
        names,
        managed,
        owners,
        existing,
        today,
    } = context;
    let header_of = |f: &str| headers.get(f).cloned().unwrap_or_else(|| f.to_string());
    let mut errors = RowErrors::with_cap(cap);
    let mut seen = HashSet::new();
    let mut planned = Vec::with_capacity(asked.len());
    for Asked { row, input } in asked {
        let mut bad = |field: &str, message: Msg| {
            errors.push(RowError {
                row,
                column: header_of(&column_of(field)),
                message,
            })
        };
        let mut fields = FieldErrors::default();
        let values = input.check(names, *today, &mut fields);
        for (field, messages) in fields.0 {
            messages.into_iter().for_each(|m| bad(&field, m));
        }
        let owner = match owner_of(user, input.owner_uscc.as_deref(), owners, managed) {
            Ok(owner) => owner,
            Err(why) => {
                bad("owner_uscc", why);
                continue;
            }
        };
        let Some(values) = values else { continue };
        let number = values.number.to_string();
        if !seen.insert(number.clone()) {
            bad(
                "application_number",
                Msg::new(
                    "该申请号在文件中重复出现",
                    "the application number appears twice in the file",
                ),
            );
            continue;
        }
        let update = match existing.get(&number) {
            Some(row) if row.owner_organization_id == owner => {
                Some((row.clone(), changed_fields(row, &values)))
            }
            Some(_) => {
                bad(
                    "application_number",
                    Msg::new(
                        "该申请号已由其他机构上架",
                        "another organization lists this application number",
                    ),
                );
                continue;
            }
            None => None,
        };
        planned.push(Planned {
            row,
            owner,
            values,
            update,
        });
    }
    errors.into_result(planned)
}

/// Whose row it is: the caller's organization (a member), or the organization named (a
/// center's staff, within its alliance).
fn owner_of(
    user: &CurrentUser,
    named: Option<&str>,
    owners: &HashMap<String, organizations::Model>,
    managed: &HashSet<i32>,
) -> Result<i32, Msg> {
    let named = match named.map(str::trim).filter(|n| !n.is_empty()) {
        Some(raw) => {
            let code = Uscc::parse(raw).map_err(|e| e.message())?;
            let found = owners
                .get(code.as_str())
                .ok_or_else(|| Msg::new("该机构尚未登记", "no organization has this code"))?;
            if !OWNER_KINDS.contains(&found.kind.as_str()) {
                return Err(Msg::new(
                    "高校、科研院所、医院和企业可以登记专利",
                    "universities, research institutes, hospitals and enterprises list patents",
                ));
            }
            Some(found.id)
        }
        None => None,
    };
    match (user.role, named, user.organization_id) {
        (Role::Member, Some(id), Some(own)) if id != own => Err(Msg::new(
            "只能登记本机构的专利",
            "a member lists only its own organization's patents",
        )),
        (Role::Member, _, Some(own)) => Ok(own),
        (Role::Center, None, _) => Err(Msg::new(
            "请填写专利权人的统一社会信用代码",
            "name the owner's USCC",
        )),
        (Role::Center, Some(id), _) if managed.contains(&id) => Ok(id),
        (Role::Center, Some(_), _) => Err(Msg::new(
            "该机构不是本中心联盟的在册成员",
            "the organization is not a member of this center's alliance",
        )),
        _ => Err(Msg::new(
            "账号不能登记专利",
            "this account does not list patents",
        )),
    }
}

/// The organizations the rows name as owners, by code (one query per thousand codes).
async fn owners_named(
    db: &impl ConnectionTrait,
    asked: &[Asked],
) -> Result<HashMap<String, organizations::Model>, AppError> {
    let codes: HashSet<String> = (asked.iter())
        .filter_map(|a| a.input.owner_uscc.as_deref())
        .filter_map(|raw| Uscc::parse(raw.trim()).ok())
        .map(|c| c.as_str().to_string())
        .collect();
    let codes: Vec<String> = codes.into_iter().collect();
    let mut found = HashMap::new();
    for chunk in codes.chunks(1_000) {
        let rows = organizations::Entity::find()
            .filter(organizations::Column::Uscc.is_in(chunk.to_vec()))
            .all(db)
            .await?;
        found.extend(rows.into_iter().map(|o| (o.uscc.clone(), o)));
    }
    Ok(found)
}

/// The listed rows of the numbers the file holds, by number (one query per thousand numbers).
async fn listed(
    db: &impl ConnectionTrait,
    asked: &[Asked],
) -> Result<HashMap<String, listings::Model>, AppError> {
    let numbers: Vec<String> = (asked.iter())
        .filter_map(|a| {
            crate::domain::identifiers::PatentNumber::parse(&a.input.application_number).ok()
        })
        .map(|n| n.to_string())
        .collect();
    let mut found = HashMap::new();
    for chunk in numbers.chunks(1_000) {
        let rows = listings::Entity::find()
            .filter(listings::Column::ApplicationNumber.is_in(chunk.to_vec()))
            .filter(listings::Column::Status.eq("listed"))
            .all(db)
            .await?;
        found.extend(rows.into_iter().map(|l| (l.application_number.clone(), l)));
    }
    Ok(found)
}

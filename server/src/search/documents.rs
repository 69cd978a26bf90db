//! The index's documents read from the database: a listing with its owner, a demand with its
//! member; what each change re-reads, and what a rebuild reads in batches.

use std::collections::HashMap;

use entities::{demands, organizations, patent_listings as listings};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use tantivy::TantivyDocument;

use super::schema::Fields;
use super::text::index_terms;

/// What an index document stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Listing,
    Demand,
}

impl Kind {
    /// The stored name (the change log's `kind`).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Listing => "listing",
            Kind::Demand => "demand",
        }
    }

    /// The kind a stored name names.
    pub fn parse(word: &str) -> Option<Kind> {
        match word {
            "listing" => Some(Kind::Listing),
            "demand" => Some(Kind::Demand),
            _ => None,
        }
    }
}

/// The key a document is deleted by.
pub fn key(kind: Kind, id: i32) -> String {
    format!("{}:{id}", kind.as_str())
}

/// Every prefix of a stored IPC code (`H`, `H01`, `H01M`, `H01M 4`, `H01M 4/36`).
pub fn ipc_prefixes(code: &str) -> Vec<String> {
    let mut prefixes: Vec<String> = [1, 3, 4]
        .iter()
        .filter(|n| code.len() >= **n)
        .map(|n| code[..*n].to_string())
        .collect();
    if let Some((group, _)) = code.split_once('/') {
        prefixes.push(group.to_string());
    }
    prefixes.push(code.to_string());
    prefixes.dedup();
    prefixes
}

/// `day` as the index's day fields hold it: days since 1970-01-01.
pub fn epoch_day(day: chrono::NaiveDate) -> i64 {
    (day - chrono::NaiveDate::default()).num_days()
}

/// The segmented terms of `texts` as one field's value.
fn segmented<'a>(texts: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for text in texts {
        for term in index_terms(text) {
            out.push_str(&term);
            out.push(' ');
        }
    }
    out
}

/// The organizations `ids` name, by id.
async fn organizations_of(
    db: &impl ConnectionTrait,
    ids: Vec<i32>,
) -> Result<HashMap<i32, organizations::Model>, DbErr> {
    Ok(organizations::Entity::find()
        .filter(organizations::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect())
}

/// A listing's document.
fn listing_document(
    f: &Fields,
    row: &listings::Model,
    owner: &organizations::Model,
) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(f.key, key(Kind::Listing, row.id));
    doc.add_text(f.kind, "listing");
    doc.add_u64(f.id, row.id as u64);
    doc.add_text(f.title, segmented([row.title.as_str()]));
    let claims = row.claims.as_deref().unwrap_or_default();
    doc.add_text(f.body, segmented([row.abstract_text.as_str(), claims]));
    doc.add_text(f.industry, &row.industry);
    for code in serde_json::from_str::<Vec<String>>(&row.ipc).unwrap_or_default() {
        for prefix in ipc_prefixes(&code) {
            doc.add_text(f.ipc, prefix);
        }
    }
    for mode in serde_json::from_str::<Vec<String>>(&row.offered_modes).unwrap_or_default() {
        doc.add_text(f.mode, mode);
    }
    add_owner(f, &mut doc, owner);
    doc.add_text(f.legal_status, &row.legal_status);
    doc.add_u64(f.maturity, row.maturity.unwrap_or(0).max(0) as u64);
    doc.add_text(f.status, &row.status);
    doc
}

/// The owner's (or member's) fields.
fn add_owner(f: &Fields, doc: &mut TantivyDocument, owner: &organizations::Model) {
    doc.add_text(f.owner, &owner.uscc);
    doc.add_text(f.owner_kind, &owner.kind);
    doc.add_text(f.province, owner.region_code.get(..2).unwrap_or_default());
    doc.add_u64(f.org, owner.id as u64);
}

/// A demand's document.
fn demand_document(
    f: &Fields,
    row: &demands::Model,
    member: &organizations::Model,
) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(f.key, key(Kind::Demand, row.id));
    doc.add_text(f.kind, "demand");
    doc.add_u64(f.id, row.id as u64);
    doc.add_text(f.title, segmented([row.title.as_str()]));
    let keywords = serde_json::from_str::<Vec<String>>(&row.keywords).unwrap_or_default();
    let body = [row.description.as_str()]
        .into_iter()
        .chain(keywords.iter().map(String::as_str));
    doc.add_text(f.body, segmented(body));
    doc.add_text(f.industry, &row.industry);
    for code in serde_json::from_str::<Vec<String>>(&row.ipc).unwrap_or_default() {
        for prefix in ipc_prefixes(&code) {
            doc.add_text(f.ipc, prefix);
        }
    }
    doc.add_text(f.mode, &row.wanted_mode);
    add_owner(f, &mut doc, member);
    doc.add_text(f.status, &row.status);
    doc.add_text(f.visibility, &row.visibility);
    doc.add_i64(f.valid_until, epoch_day(row.valid_until));
    doc
}

/// The documents of `kind` with ids after `after`, at most `limit`, by id: `(id, document)`;
/// with `only`, just those ids (a deleted one is absent). The text is segmented on blocking
/// threads, a batch split over the cores.
pub async fn read(
    db: &impl ConnectionTrait,
    f: &Fields,
    kind: Kind,
    (after, limit): (i32, u64),
    only: Option<&[i32]>,
) -> Result<Vec<(i32, TantivyDocument)>, DbErr> {
    let f = *f;
    let built = match kind {
        Kind::Listing => {
            let mut select = listings::Entity::find()
                .filter(listings::Column::Id.gt(after))
                .order_by_asc(listings::Column::Id)
                .limit(limit);
            if let Some(ids) = only {
                select = select.filter(listings::Column::Id.is_in(ids.to_vec()));
            }
            let rows = select.all(db).await?;
            let owners =
                organizations_of(db, rows.iter().map(|r| r.owner_organization_id).collect())
                    .await?;
            tokio::task::spawn_blocking(move || {
                use rayon::prelude::*;
                (rows.par_iter())
                    .filter_map(|r| {
                        owners
                            .get(&r.owner_organization_id)
                            .map(|o| (r.id, listing_document(&f, r, o)))
                    })
                    .collect()
            })
            .await
        }
        Kind::Demand => {
            let mut select = demands::Entity::find()
                .filter(demands::Column::Id.gt(after))
                .order_by_asc(demands::Column::Id)
                .limit(limit);
            if let Some(ids) = only {
                select = select.filter(demands::Column::Id.is_in(ids.to_vec()));
            }
            let rows = select.all(db).await?;
            let members =
                organizations_of(db, rows.iter().map(|r| r.member_organization_id).collect())
                    .await?;
            tokio::task::spawn_blocking(move || {
                use rayon::prelude::*;
                (rows.par_iter())
                    .filter_map(|r| {
                        members
                            .get(&r.member_organization_id)
                            .map(|o| (r.id, demand_document(&f, r, o)))
                    })
                    .collect()
            })
            .await
        }
    };
    built.map_err(|e| DbErr::Custom(format!("segmenting documents: {e}")))
}

use sea_orm::entity::prelude::*;

/// A recorded fact about a listed patent that an open licence depends on: a licence (kind
/// `exclusive`, `sole` or `ordinary`, `party` the licensee), a pledge (`party` the pledgee,
/// `consent` the pledgee's consent to an open licence), a suspension (kind `ownership_dispute` or
/// `preservation`), or the patent evaluation report (the file's columns).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "listing_facts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub listing_id: i32,
    /// `licence`, `pledge`, `suspension` or `evaluation_report`.
    pub fact: String,
    pub kind: Option<String>,
    pub party: Option<String>,
    pub from_date: Option<Date>,
    /// The last day in force (none: until ended).
    pub to_date: Option<Date>,
    pub consent: Option<bool>,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub size_bytes: Option<i64>,
    pub sha256: Option<String>,
    /// The file's name under `IPOC_DATA_DIR/attachments/`.
    pub stored_name: Option<String>,
    pub recorded_by: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

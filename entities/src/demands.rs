use sea_orm::entity::prelude::*;

/// A member's technology demand (技术需求).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "demands")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The enterprise whose demand it is.
    pub member_organization_id: i32,
    pub title: String,
    /// The problem in the enterprise's own words.
    pub description: String,
    pub industry: String,
    /// IPC codes as a JSON array.
    pub ipc: String,
    /// Keywords as a JSON array.
    pub keywords: String,
    /// `transfer`, `license`, `joint_rd` or `commissioned_rd`.
    pub wanted_mode: String,
    pub budget_min_fen: Option<i64>,
    pub budget_max_fen: Option<i64>,
    /// The last day it is open; after it the demand reads as `expired`.
    pub valid_until: Date,
    /// `alliance` or `platform`.
    pub visibility: String,
    /// The member's name hidden from everyone outside its alliance's centers.
    pub anonymous: bool,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    /// `open`, `matched` or `closed` (`expired` is read from `valid_until`).
    pub status: String,
    pub registered_by: i32,
    /// The center whose staff registered it on the member's behalf.
    pub on_behalf_center_id: Option<i32>,
    /// The `valid_until` its member was mailed about, 14 days before.
    pub expiry_mailed_for: Option<Date>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
